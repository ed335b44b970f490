"""Documents made from results: the care plan as HTML, PDF and iCalendar."""
