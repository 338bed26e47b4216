"""Planning tools: comparing layouts and forecasting crowding."""
