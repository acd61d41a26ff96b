"""Layer 1, calendar: the Kazakh working calendar and legal terms counted on it.
"""
