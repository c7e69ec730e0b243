class RecruitmentError(Exception):
    """A recruitment rule was broken; the message says which, for a person to read."""
