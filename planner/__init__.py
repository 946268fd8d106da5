"""The domain of content-cadence: the plan model, the plan file, cadence slots.

Plain Python; it never imports textual, rich or the checks engine.
"""

__version__ = "0.1.0"
