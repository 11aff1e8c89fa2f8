"""The regression eval set: gold datasets, scorers, the runner, reports and the gate."""
