from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_groups(apps, schema_editor):
    from newsroom.editorial.press_office import MODEL_PERMISSIONS

    # Permissions are normally created after all migrations; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    root_collection = Collection.objects.filter(depth=1).first()

    for name, by_app in MODEL_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        # Wagtail's first migration gives its own "Editors" and "Moderators" the
        # whole tree; the press office roles get exactly what follows instead.
        group.permissions.clear()
        GroupCollectionPermission.objects.filter(group=group).delete()
        GroupPagePermission.objects.filter(group=group).delete()
        for app_label, codenames in by_app.items():
            for codename in codenames:
                permission = Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                ).first()
                if permission is None:
                    # A model of a later migration (a kind added since, such as
                    # regulations in 0012): its migration grants its permissions.
                    continue
                if app_label in ("wagtailimages", "wagtaildocs") and root_collection:
                    # Image and document permissions apply per collection.
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=permission
                    )
                else:
                    group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0002_editorial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
