"""Layer 6, output: official documents (reports), notebook views and the command line.
"""
