"""The environment an orbit flies through: space weather and atmospheric density."""
