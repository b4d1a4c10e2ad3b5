from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Newsroom"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported once the app registry is ready: the handlers name the models
        # and import the channels and alerts, which need the models loaded.
        from newsroom.signal_handlers import register_signal_handlers

        register_signal_handlers()
