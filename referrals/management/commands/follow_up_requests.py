from django.core.management.base import BaseCommand

from referrals.reminders import follow_up


class Command(BaseCommand):
    help = (
        "Suivi quotidien des demandes sans réponse : après 7 jours, une relance par courriel "
        "à l’association (avec un nouveau lien de réponse) ; après 14 jours, la demande est "
        "« à relancer » par l’équipe et figure dans le récapitulatif hebdomadaire envoyé à "
        "l’équipe ; après 30 jours, elle passe « sans réponse » et la famille reçoit les "
        "autres associations qui lui correspondent. Peut être relancée sans risque : rien "
        "n’est envoyé deux fois. À lancer une fois par jour."
    )

    def handle(self, *args, **options):
        self.stdout.write(str(follow_up()))
