"""Layer 2, procedure: the timeline of the procedure's time limits, and its iCalendar export.
"""
