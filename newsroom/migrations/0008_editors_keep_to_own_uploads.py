"""Editors no longer change (and so delete) other people's images and documents.

Fresh databases get this from 0003, which reads press_office.MODEL_PERMISSIONS;
this migration takes the permissions away where 0003 ran before.
"""

from django.db import migrations

WITHDRAWN = [("wagtailimages", "change_image"), ("wagtaildocs", "change_document")]


def withdraw(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is None:
        return
    for app_label, codename in WITHDRAWN:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is None:
            continue
        editors.permissions.remove(permission)
        GroupCollectionPermission.objects.filter(
            group=editors, permission=permission
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0007_search_text_index")]

    operations = [migrations.RunPython(withdraw, migrations.RunPython.noop)]
