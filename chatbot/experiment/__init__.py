"""The A/B experiment: arm assignment, statistics, the shopper simulator and the staff dashboard."""
