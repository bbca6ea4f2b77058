"""Use cases that read and write the database; callers commit once."""
