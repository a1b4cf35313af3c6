import pytest

from bot.thai import Tokenizer, compact, normalize


@pytest.mark.parametrize("typed,canonical", [
    ("ค่าาาาา ครับบบบ", "ค่า ครับ"),
    ("ม.๓๓", "มาตรา 33"), ("ม33", "มาตรา 33"), ("ม 40", "มาตรา 40"), ("มาตรา40", "มาตรา 40"),
    ("สมัคร มอ สี่สิบ", "สมัคร มาตรา 40"),  # ม dictated by its letter name
    ("รถมอ 40 คัน", "รถมอ 40 คัน"),         # the end of a word is not ม
    ("samak m.40 kub", "samak matra 40 kub"), ("sa mak mor 40", "sa mak matra 40"),  # romanized
    ("room 40", "room 40"),
    ("ภ.ง.ด. ๙๐", "ภงด 90"),
    ("นํ้าประปา", "น้ำประปา"),             # nikhahit + sara aa typed for sara am
    ("ใบขับขี่่", "ใบขับขี่"),              # doubled tone mark
    ("ทำใบขับขี่\u200bค่ะ!!!", "ทำใบขับขี่ค่ะ"),  # zero-width space, punctuation
    ("PEA  Smart   Plus", "pea smart plus"),
    ("ธรรมดา", "ธรรมดา"),                  # a real double consonant survives
])
def test_normalize(typed, canonical):
    assert normalize(typed) == canonical


def test_normalize_bounds_very_long_text():
    assert len(normalize("ก ข " * 10000)) <= 600


def test_compact_drops_spaces():
    assert compact("ใบ ขับ ขี่") == "ใบขับขี่"


def test_tokenizer_keeps_catalogue_words_whole():
    assert "สารเร่งพด" in Tokenizer({"สารเร่งพด"}).tokens(compact("ขอสารเร่ง พด.หน่อย"))


@pytest.mark.parametrize("typed,read", [
    ("ขอรอ", "ขอรอ"), ("ขอบอกอะไรหน่อย", "ขอบอกอะไรหน่อย"),  # words, not letters (run-together names: the matcher)
    ("อยากขอ ปอ กอ สอ", "อยาก ขอ ปกส"), ("ยื่นภอ งอ ดอ", "ยื่น ภงด"),  # ขอ is "please" after a word too
    ("matra see sib", "matra 40"), ("kao sib et", "91"), ("sib", "sib"),
    ("matra see sib song ekasarn", "matra 40 song ekasarn"),  # song after สิบ is ส่ง, not 2
    ("เบอร์ ศูนย์แปดหนึ่ง สองสามสี่", "เบอร์ 081234"), ("สองสามวันก่อน", "สองสามวันก่อน"),  # digits said one by one: with a zero
])
def test_dictated_letters_and_romanized_numbers(typed, read):
    assert normalize(typed) == read


def test_pythainlp_normalize_is_skipped_only_where_it_would_change_nothing():
    """``normalize`` runs PyThaiNLP's slow normalize where ``_MARKS_TO_ORDER`` finds two marks in a
    row and, since the big-catalogue work, only where ``_OUT_OF_ORDER`` too finds something it may
    change; the second test must skip nothing the first let through that PyThaiNLP would change
    (random marks, letters and spaces hold it to that, a PyThaiNLP upgrade too)."""
    import random

    from bot.thai import _MARKS_TO_ORDER, _OUT_OF_ORDER, pythainlp_normalize
    rng = random.Random(7)
    marks = [chr(c) for c in range(0x0E30, 0x0E4F)]
    anything = [chr(c) for c in range(0x0E01, 0x0E5C)] + [" ", " ", "\n", "a"]
    for _ in range(10000):
        text = "".join(rng.choice(marks if rng.random() < 0.6 else anything) for _ in range(rng.randint(1, 6)))
        if _MARKS_TO_ORDER.search(text):
            assert pythainlp_normalize(text) == text or _OUT_OF_ORDER.search(text), repr(text)


def test_a_compound_is_also_read_as_its_parts():
    from bot.thai import latin_sound_key, thai_sound_keys
    keys = {key for key, _ in thai_sound_keys("นามสกุล", Tokenizer())}
    assert latin_sound_key("namsakun")[0] in keys  # as said; RTGS alone reads the compound "namtkun"


@pytest.mark.parametrize("text,sticker", [
    ("(สติกเกอร์)", True), ("[Sticker]", True), ("(อีโมจิ) 🥰", True), ("(หัวเราะ) 555 !!", True),
    ("(ขอ) ใบขับขี่", False), ("ทำบัตร (คนพิการ)", False),
])
def test_a_keyboard_apps_sticker_name_with_emoji_around_it_is_still_a_sticker(text, sticker):
    from bot.thai import is_sticker_name
    assert is_sticker_name(text) is sticker


def test_a_number_keeps_its_repeated_digits_in_romanized_sounds():
    """มาตรา 33 must not sound like มาตรา 3 (moo tai laew 3 tua read as section 33)."""
    from bot.thai import latin_sound_key
    assert latin_sound_key("matra33")[0] != latin_sound_key("matra3")[0]
    assert latin_sound_key("bakk")[0] == latin_sound_key("bak")[0]  # a doubled letter is one sound


def test_text_cut_wholly_into_dictionary_words_is_no_key_slip():
    """ไม่เป็น and คดียาย are real words, not ไม่เห็น and คดีนาย with a key slipped; ไม่เหน is."""
    from bot.thai import is_dictionary_words
    assert is_dictionary_words("ไม่เป็น") and is_dictionary_words("คดียาย")
    assert not is_dictionary_words("ไม่เหน")


def test_latin_letter_names_of_an_abbreviation():
    from bot.thai import latin_letter_names
    names = latin_letter_names("พด")
    assert {"por dor", "pordor", "pho do"} <= set(names)
    assert latin_letter_names("พ1") == []  # a letter without a name: nothing
