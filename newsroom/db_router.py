"""Reads from a replica when one is configured (``DATABASE_REPLICA_URL``)."""


class PrimaryReplicaRouter:
    """Writes and migrations go to the primary; reads may go to the replica.

    Requests that write and then read (the admin) should pin themselves to the
    primary; the public site only reads, and a replica a second behind is fine
    because cached pages are keyed by the content version read here too.
    """

    def db_for_read(self, model, **hints):
        return "replica"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
