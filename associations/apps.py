from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class AssociationsConfig(AppConfig):
    name = "associations"
    verbose_name = "Annuaire des associations"

    def ready(self):
        # Every save or delete of the directory (staff's edits, the brochure loaded)
        # makes what was cached from it stale (core.cache).
        from core.cache import directory_changed

        for model in self.get_models(include_auto_created=True):
            uid = f"directory-changed-{model._meta.label_lower}"
            post_save.connect(directory_changed, sender=model, dispatch_uid=uid + "-save")
            post_delete.connect(directory_changed, sender=model, dispatch_uid=uid + "-delete")
        for model in self.get_models():
            for field in model._meta.many_to_many:
                m2m_changed.connect(
                    directory_changed,
                    sender=field.remote_field.through,
                    dispatch_uid=f"directory-changed-{field.remote_field.through._meta.label_lower}",
                )
