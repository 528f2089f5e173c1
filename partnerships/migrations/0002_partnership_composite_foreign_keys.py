"""Let PostgreSQL itself refuse a partner from another programme or in the wrong role.

Each side of a partnership references (participant id, programme, role), so the
participant must be in the partnership's programme and hold the side's role. SQLite
cannot add constraints to an existing table; there the model layer's checks stand alone.
"""

from django.db import migrations

SIDES = ("mentor", "mentee")


def add_foreign_keys(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for side in SIDES:
        schema_editor.execute(
            f"ALTER TABLE partnerships_partnership "
            f"ADD CONSTRAINT partnership_{side}_in_programme_with_role "
            f"FOREIGN KEY ({side}_id, programme_id, {side}_role) "
            f"REFERENCES partnerships_participant (id, programme_id, role) "
            f"DEFERRABLE INITIALLY DEFERRED"
        )


def drop_foreign_keys(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for side in SIDES:
        schema_editor.execute(
            f"ALTER TABLE partnerships_partnership "
            f"DROP CONSTRAINT partnership_{side}_in_programme_with_role"
        )


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]

    operations = [migrations.RunPython(add_foreign_keys, drop_foreign_keys, elidable=False)]
