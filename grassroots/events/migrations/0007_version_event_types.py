# Event types become versioned catalogue entries (workflow.catalogue): the columns first, then
# 0008 publishes every existing row as version 1, then 0009 adds the constraints.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0006_limit_open_supervision'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='eventtype',
            options={'ordering': ['code', 'version'], 'verbose_name': '事件分类', 'verbose_name_plural': '事件分类'},
        ),
        migrations.AddField(
            model_name='eventtype',
            name='limit_unit',
            field=models.CharField(choices=[('working_hours', '工作时'), ('working_days', '工作日'), ('natural_days', '自然日')], blank=True, default='working_days', max_length=16, verbose_name='时限单位'),
        ),
        migrations.AddField(
            model_name='eventtype',
            name='promised_limit',
            field=models.DecimalField(blank=True, decimal_places=1, max_digits=6, null=True, verbose_name='承诺时限'),
        ),
        migrations.AddField(
            model_name='eventtype',
            name='status',
            field=models.CharField(choices=[('draft', '草稿'), ('published', '已发布'), ('retired', '已停用')], default='draft', max_length=16, verbose_name='版本状态'),
        ),
        migrations.AddField(
            model_name='eventtype',
            name='statutory_limit',
            field=models.DecimalField(blank=True, decimal_places=1, max_digits=6, null=True, verbose_name='法定时限'),
        ),
        migrations.AddField(
            model_name='eventtype',
            name='valid_from',
            field=models.DateTimeField(blank=True, null=True, verbose_name='生效时间'),
        ),
        migrations.AddField(
            model_name='eventtype',
            name='valid_until',
            field=models.DateTimeField(blank=True, null=True, verbose_name='失效时间'),
        ),
        migrations.AddField(
            model_name='eventtype',
            name='version',
            field=models.PositiveIntegerField(default=1, verbose_name='版本'),
        ),
        migrations.AlterField(
            model_name='eventtype',
            name='code',
            field=models.CharField(max_length=16, verbose_name='分类代码'),
        ),
    ]
