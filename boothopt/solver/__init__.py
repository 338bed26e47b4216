"""Booth assignment: candidate placements, the CP-SAT model, the greedy baseline."""
