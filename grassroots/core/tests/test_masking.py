from grassroots.core.masking import mask_email, mask_id_number, mask_name, mask_phone


def test_names_keep_only_the_family_name_and_the_last_character():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧**娜"
    assert mask_name("") == ""


def test_phones_keep_the_first_three_and_last_four_digits():
    assert mask_phone("13812345678") == "138****5678"


def test_id_numbers_keep_the_first_three_and_last_four_characters():
    assert mask_id_number("33042119800101123X") == "330***********123X"


def test_emails_keep_the_domain():
    assert mask_email("zhangsan@example.cn") == "z***@example.cn"
