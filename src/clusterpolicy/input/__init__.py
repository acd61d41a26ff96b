"""Layer 1, input: the models of applications and competitions, regions, and loading files.
"""
