"""`toolkit serve`: the web application for officers and coordinators (see app.py)."""
