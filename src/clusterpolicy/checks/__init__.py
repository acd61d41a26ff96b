"""Layer 2, checks: the rule kinds, their results, and the affiliation count of criteria 1.1.
"""
