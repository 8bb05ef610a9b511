"""Interactive explorers instructors drive in class (ipywidgets).

One module per topic (``crmlib.widgets.pareto``, …); each offers a function that takes the
data and returns a widget box to display. ipywidgets and matplotlib load only when one is built.
"""
