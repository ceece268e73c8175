# The constraints of a versioned catalogue entry (workflow.catalogue.CatalogueVersion), once 0008 has
# published the existing rows.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0008_publish_existing_event_types'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='eventtype',
            constraint=models.UniqueConstraint(fields=('code', 'version'), name='events_eventtype_code_version'),
        ),
        migrations.AddConstraint(
            model_name='eventtype',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'published'), ('valid_until__isnull', True)), fields=('code',), name='events_eventtype_one_open_published'),
        ),
        migrations.AddConstraint(
            model_name='eventtype',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'draft')), fields=('code',), name='events_eventtype_one_draft'),
        ),
        migrations.AddConstraint(
            model_name='eventtype',
            constraint=models.CheckConstraint(condition=models.Q(('promised_limit__isnull', True), models.Q(('promised_limit__lte', models.F('statutory_limit')), ('statutory_limit__isnull', False)), _connector='OR'), name='events_eventtype_promise_within_statutory'),
        ),
        migrations.AddConstraint(
            model_name='eventtype',
            constraint=models.CheckConstraint(condition=models.Q(('status', 'draft'), ('valid_from__isnull', False), _connector='OR'), name='events_eventtype_in_force_has_start'),
        ),
        migrations.AddConstraint(
            model_name='eventtype',
            constraint=models.CheckConstraint(condition=models.Q(('valid_until__isnull', True), ('valid_until__gt', models.F('valid_from')), _connector='OR'), name='events_eventtype_window_not_empty'),
        ),
    ]
