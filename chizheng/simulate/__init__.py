"""The city-year simulation (``chizheng simulate``): a year of classes, their trainees,
reviews, sessions, inspections, assessments and certificates, and the claims paid on them,
built through the real services by the users who would do each step, on the day they
would do it, up to the simulated "today".

- ``scale``: how big a year is (the slice of the demo, a whole city), as data
- ``actors``: the users and evaluation institutions the year needs
- ``classes``: one class driven through its lifecycle to the state its draw says
- ``claims``: the funds' budgets, claims through review, notice and payment, a recovery
- ``run``: the draws, the order, resuming, progress and the tally at the end
"""
