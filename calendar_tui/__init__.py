"""The front ends of content-cadence: the ``cadence`` command line and the Textual app.

Importing this package does not import textual; only opening the app does.
"""
