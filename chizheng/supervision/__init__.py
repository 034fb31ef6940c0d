"""Supervision (SPEC §7, issue 15): the cross-checks of a city-year run set-based over its
records, and the findings they leave, with their evidence, for the offices to follow up."""
