from ninja import Schema


class PersonOut(Schema):
    id: int
    username: str
    name: str
    phone: str
    id_number: str
    role: str
    role_label: str
    unit: str | None
    region_code: str
