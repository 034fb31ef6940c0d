"""Vocational skill competitions (§11): events, contestants, results and the certificates
obtained through a competition; the three §11 indicators of the plan are tallied from them."""
