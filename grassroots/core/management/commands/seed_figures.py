"""Print, for every seed figure the platforms make computable, the seed's number beside the number the product
computes now from its records (the rows the platform apps register in grassroots.core.seed_figures)."""

from typing import Any

from django.core.management.base import BaseCommand

from grassroots.core.seed_figures import seed_rows, table_text


class Command(BaseCommand):
    help = "对照种子文件中的数字与系统根据现有记录计算的数字"

    def handle(self, *args: Any, **options: Any) -> None:
        rows = seed_rows()
        if not rows:
            self.stdout.write("尚无平台登记可对照的种子数字。")
            return
        self.stdout.write(table_text(rows), ending="")
