"""Behaviour a villager would notice: traps, locality, typos, greetings around questions."""
import pytest

from bot.catalogue import KnowledgeStore
from bot.config import ROOT
from tests.conftest import shared_store


@pytest.fixture(scope="module")
def matcher():
    return shared_store().current.matcher


def answer(matcher, text):
    d = matcher.decide(text)
    return d.services[0] if d.kind == "answer" else d.kind


@pytest.mark.parametrize("text", [
    "จะไปจ่ายภาษีบำรุงท้องที่ปีนี้",         # local tax, not income tax
    "อยากจดทะเบียนสมรสต้องไปที่ไหน",      # marriage registration, not a car plate
    "ขอให้มาตัดต้นไม้ใหญ่หน้าบ้าน",          # cutting a tree, not seedlings
    "เบี้ยผู้สูงอายุเดือนนี้เข้าวันไหน",       # the SAO's allowance, not the welfare card
    "ต่อภาษีรถประจำปีได้ที่ไหน",            # annual vehicle tax, not a plate number
    "น้ำประปาไม่ไหลสามวันแล้ว",             # outage, not a new connection
])
def test_traps_escalate(matcher, text):
    assert matcher.decide(text).kind == "escalate"


def test_a_fallen_pole_is_no_new_connection_but_a_danger(matcher):
    d = matcher.decide("เสาไฟฟ้าล้มขวางถนนหน้าบ้าน")
    assert d.kind == "emergency" and d.emergency == "electricity"


@pytest.mark.parametrize("text,service", [
    ("ขอติดไฟฟ้าบ้านใหม่", "electricity-provincial"),
    ("ขอติดไฟฟ้าบ้านใหม่ที่ปากเกร็ด", "electricity-metropolitan"),
    ("อยู่บางพลี อยากขอน้ำประปา", "water-metropolitan"),
    ("ขอใช้น้ำประปาที่บ้านหนองม่วง", "water-provincial"),
    ("ขอไฟฟ้า กฟน.", "electricity-metropolitan"),
])
def test_provincial_by_default_metropolitan_when_named(matcher, text, service):
    assert answer(matcher, text) == service


@pytest.mark.parametrize("text,service", [
    ("ใบขับขี้หมดอายุ", "driving-licence-queue"),         # tone-mark typo
    ("ทำบัตรคนพิกาน", "disability-card"),                 # spelling by sound
    ("สมัครประกันสังคม ม.๔๐", "social-security-section-40"),
    ("ขอสารเร่ง พด.๑", "ldd-soil-supplies"),
])
def test_typos_and_abbreviations(matcher, text, service):
    assert answer(matcher, text) == service


def test_greeting_around_a_question_answers_the_question(matcher):
    assert answer(matcher, "สวัสดีค่ะ อยากถามเรื่องขอมิเตอร์ไฟฟ้าบ้านใหม่ค่ะ ขอบคุณค่ะ") == "electricity-provincial"


def test_plain_greeting_thanks_help_contact_and_human(matcher):
    assert matcher.decide("สวัสดีครับ").intent == "greeting"
    assert matcher.decide("ขอบคุณมากค่ะ").intent == "thanks"
    assert matcher.decide("บอทนี้ทำอะไรได้บ้าง").intent == "help"
    assert matcher.decide("อบต.เปิดกี่โมง").intent == "contact"
    d = matcher.decide("ขอคุยกับเจ้าหน้าที่หน่อย")
    assert d.kind == "escalate" and d.intent == "human"


def test_ambiguous_question_offers_a_choice_not_a_guess(matcher):
    d = matcher.decide("ภาษี")
    assert d.kind == "choose" and set(d.services) >= {"personal-income-tax-filing", "tax-refund-tracking"}


def test_several_sentences_and_very_long_text(matcher):
    text = "เมื่อวานไปธนาคารมา คนเยอะมาก " * 3 + "แล้วก็อยากรู้ว่าจะจองคิวสอบใบขับขี่ยังไง"
    assert answer(matcher, text) == "driving-licence-queue"
    assert matcher.decide("ก" * 5000).intent == "empty"  # elongation collapses: nothing to read
    long_text = "บ้านฉันอยู่ท้ายซอย หมาเห่าทั้งคืน " * 300
    assert matcher.decide(long_text).kind == "escalate"
    assert cpu_seconds(lambda: matcher._decide(long_text)) < 0.2  # bounded: only the first part is read


def cpu_seconds(work) -> float:
    """The least CPU time of three runs, the collector off: the matcher's cost, not a busy machine's
    or a full collection's in a test process that has made a great deal."""
    import gc
    import time
    gc.disable()
    try:
        times = []
        for _ in range(3):
            t0 = time.thread_time()
            work()
            times.append(time.thread_time() - t0)
        return min(times)
    finally:
        gc.enable()


def test_decision_is_fast(matcher):
    # decided afresh each time (the memory of decisions is bypassed)
    seconds = cpu_seconds(lambda: [matcher._decide(f"ลูกอยากทำใบขับขี่มอเตอร์ไซค์ต้องจองคิวที่ไหนคะ {i}") for i in range(50)])
    assert seconds / 50 < 0.02


def test_the_same_words_are_decided_once(matcher):
    text = "สวัสดีค่ะ ขอจองคิวทำใบขับขี่ค่ะ"
    assert matcher.decide(text) is matcher.decide(text)
    assert matcher.with_thresholds(matcher.t).decide(text) is not matcher.decide(text)  # a memory per matcher


def test_a_letter_style_salutation_does_not_read_as_asking_for_a_person(matcher):
    text = "เรียนเจ้าหน้าที่ครับ ผมสร้างบ้านเสร็จแล้ว อยากขอติดมิเตอร์ไฟฟ้า"
    assert answer(matcher, text) == "electricity-provincial"


def test_thanks_with_pleasantries_is_small_talk_but_a_hidden_question_is_not(matcher):
    assert matcher.decide("ขอบคุณมากครับ ได้ความรู้เยอะเลย").intent == "thanks"
    assert matcher.decide("ขอบคุณค่ะ แล้วถ้าจะขอเอกสารรับรองต้องทำยังไง").kind == "escalate"


def test_punctuation_and_laughter_get_a_prompt(matcher):
    for text in ["555", "???", "ครับ"]:
        assert matcher.decide(text).intent == "empty"


def test_both_agencies_are_offered_when_a_metropolitan_and_a_local_place_are_named(matcher):
    d = matcher.decide("ลูกอยู่กรุงเทพ อยากขอติดไฟฟ้าให้บ้านแม่ที่ลพบุรี")
    assert d.kind == "choose" and d.services[:2] == ["electricity-provincial", "electricity-metropolitan"]


def test_pronouns_inside_a_help_phrase(matcher):
    assert matcher.decide("ระบบนี้ช่วยผมได้บ้างไหม").intent == "help"
    assert matcher.decide("ระบบนี้ช่วยผมเรื่องน้ำท่วมบ้านได้บ้างไหม").kind == "escalate"


def test_a_word_that_changes_the_need_sends_it_to_staff_with_the_service_shown(matcher):
    """Cancelling, a broken meter, a scam: another need than the service's (a look-alike)."""
    d = matcher.decide("ขอยกเลิกเลขทะเบียนรถที่จองไว้")
    assert d.kind == "escalate" and d.services[0] == "vehicle-plate-number"
    assert matcher.decide("มิเตอร์ไฟฟ้าเสีย").kind == "escalate"


def test_an_escalated_look_alike_still_shows_the_service_meanwhile():
    from bot.conversation import answer_text
    knowledge = KnowledgeStore(ROOT / "catalogue.json").current
    answer = answer_text(knowledge, "มิเตอร์น้ำโดนขโมย")
    assert answer.escalate and "pwa.co.th" in str(answer.messages)


def test_naming_an_agency_is_not_asking_for_its_service(matcher):
    assert matcher.decide("กรมป่าไม้จับคนตัดไม้").kind != "answer"
    assert answer(matcher, "แจ้งปศุสัตว์") == "animal-disease-report"


def test_a_new_intent_needs_only_data_and_a_handler(tmp_path):
    """An admin adds an intent to intents.json and a developer a handler: the matcher names no intent."""
    import json

    import intents
    from bot.conversation import answer_text
    from intents import LEXICON_PATH

    lexicon = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    lexicon["intents"]["weather"] = {"phrases": ["พยากรณ์อากาศ", "ฝนจะตกไหม"]}
    path = tmp_path / "intents.json"
    path.write_text(json.dumps(lexicon, ensure_ascii=False), encoding="utf-8")
    knowledge = KnowledgeStore(ROOT / "catalogue.json", path).current
    assert knowledge.matcher.decide("ฝนจะตกไหมวันนี้").intent == "weather"

    @intents.intent("weather")
    def weather(ctx):
        return [{"type": "text", "text": "ดูพยากรณ์อากาศได้ที่กรมอุตุนิยมวิทยา"}]
    try:
        assert answer_text(knowledge, "ขอดูพยากรณ์อากาศหน่อย").messages[0]["text"].startswith("ดูพยากรณ์อากาศ")
    finally:
        intents.forget("weather")


def test_tuning_never_changes_the_live_matcher():
    from bot import evaluation
    knowledge = shared_store().current
    before = knowledge.matcher.t
    evaluation.sweep(knowledge, [(["1"], "จองคิวทำใบขับขี่")])
    assert knowledge.matcher.t is before


@pytest.mark.parametrize("term", ["ใบขับขี่", "ประกันสังคม", "เบี้ยยังชีพผู้สูงอายุ"])
def test_a_typo_leaves_a_piece_of_the_term_as_typed(term):
    """Typos are looked for only in terms with a piece as typed: every typo allowed leaves one."""
    from bot.matcher import _keeps_a_piece, _typos_allowed

    def edits(word):
        for i in range(len(word) + 1):
            yield word[:i] + "x" + word[i:]              # a letter too many
            if i < len(word):
                yield word[:i] + word[i + 1:]            # a letter dropped
                yield word[:i] + "x" + word[i + 1:]      # a letter wrong
                yield word[:i] + word[i + 1:i + 2] + word[i] + word[i + 2:]  # two letters swapped
    typed = {term}
    for _ in range(_typos_allowed(term)):
        typed = {e for word in typed for e in edits(word)}
    assert all(_keeps_a_piece(term, f"ขอ{word}หน่อย") for word in typed)
    assert not _keeps_a_piece(term, "ขอทะเบียนบ้านหน่อย")


def test_two_terms_run_together_on_a_shared_syllable_are_both_said(matcher):
    """คืน[ภาษี]บุคคลธรรมดา: the refund is asked as much as the filing; a longer term that only
    shares its edge must not hide the other (a choice, not a confident filing answer)."""
    d = matcher.decide("เช็คคืนภาษีบุคคลธรรมดา เช็คไงจ้ะ")
    assert d.kind != "answer" or d.services[0] == "tax-refund-tracking"
    assert "tax-refund-tracking" in d.services[:3]


def test_asked_already_and_still_nothing_is_a_late_request_for_staff(matcher):
    assert answer(matcher, "ขอกล้าไม้ไปแล้วสองเดือน ยังบ่ได้เลย") == "escalate"
    assert answer(matcher, "ขอกล้าไม้ฟรีทำยังไง") == "tree-seedlings"


def test_a_services_own_phrase_is_no_doubt_about_it_even_without_tone_marks(matcher):
    """ยังไม่ได้ is how a refund is followed up; typed without its marks it must not turn the
    refund service's own words into 'another need'."""
    assert answer(matcher, "ขอคืนภาษีไปนานแลวยังไมได") == "tax-refund-tracking"


@pytest.mark.parametrize("text,expected", [
    ("อยู่ไส", "contact"),                       # where are you (Isan), and nothing else
    ("vp^jwl", "contact"),                       # the same with the keyboard left on English
    ("แมวไม่สบาย คลินิกสัตว์อยู่ไหน", "escalate"),  # where is *another* place: not the office's address
])
def test_a_call_says_its_intent_only_when_nothing_else_is_said(matcher, text, expected):
    d = matcher.decide(text)
    assert (d.intent if d.kind == "intent" else d.kind) == expected


def test_a_number_typed_after_letters_on_the_english_keyboard_stays_a_number(matcher):
    assert answer(matcher, ",k9ik40") == "social-security-section-40"  # มาตรา40
    assert answer(matcher, "l,y8i,k9ik40py'w'") == "social-security-section-40"  # สมัครมาตรา40ยังไง, no spaces


@pytest.mark.parametrize("typed,thai", [
    ("86o", "คุน"), ("g=H88fu", "เช็คคดี"),         # number-row letters: a vowel key, a doubled letter
    (",k9ik40py'w'", "มาตรา40ยังไง"), ("4'f91", "ภงด91"), ("mp 2567", "ทย 2567"),  # numbers
])
def test_the_number_row_on_the_english_keyboard_is_thai_letters_unless_it_types_a_number(typed, thai):
    from bot.thai import as_thai_keyboard
    assert as_thai_keyboard(typed) == thai


def test_a_real_word_is_not_a_key_slip_of_a_doubt_word(matcher):
    """หลังเกี่ยว (after the harvest) is a word of its own, not เหี่ยว (wilted) with one slip."""
    assert answer(matcher, "ขอเมล็ดปอเทืองไปหว่านในนาหลังเกี่ยว") == "ldd-soil-supplies"


@pytest.mark.parametrize("text,expected", [
    ("ไม่ได้จะซื้อนะคะ อยากขอกล้าไม้ฟรีจากกรมป่าไม้ สมัครตรงไหน", "tree-seedlings"),  # not buying
    ("ขอกล้าไม้ ซื้อได้ที่ไหน", "escalate"),                                          # buying
    ("อยากขอมิเตอร์ไฟฟ้าใหม่ ไม่ใช่ไฟดับนะครับ", "electricity-provincial"),
])
def test_a_doubt_ruled_out_by_the_villager_is_no_doubt(matcher, text, expected):
    """'It is not a power cut' rules the power cut out (negations in intents.json)."""
    assert answer(matcher, text) == expected


@pytest.mark.parametrize("text,expected", [
    ("kor fai mai", "electricity-provincial"),                     # ขอไฟใหม่: a request, not a fire
    ("kor fai fah mai tee krungtep", "electricity-metropolitan"),  # romanized Bangkok, spelled as said
])
def test_romanized_requests_for_new_electricity(matcher, text, expected):
    assert answer(matcher, text) == expected
    assert matcher.decide("mitor fai mai chuay duay").kind == "emergency"  # the fire is still a fire


@pytest.mark.parametrize("text,expected", [
    ("ขนส่งจังหวัดชลบุรีเบอร์อะไรคะ", "escalate"),        # another office's phone: staff know the branch
    ("ขอไฟฟ้าใหม่ เบอร์อะไร", "answer"),                   # asks for the service (the card has the phone)
    ("การไฟฟ้าเบอร์อะไร", "escalate"),                    # the office's name is a service's term, and no more is asked
    ("ศาลจังหวัดชลบุรีเปิดกี่โมงครับ", "escalate"),
    ("เบอร์โทร อบต บ่อทอง", "contact"),                  # ours
    ("ที่อยู่สำนักงานขอหน่อยค่ะ จะส่งเอกสารไปทางไปรษณีย์", "contact"),
])
def test_the_offices_kind_of_question_about_another_office_goes_to_staff(matcher, text, expected):
    d = matcher.decide(text)
    assert (d.intent if d.kind == "intent" else d.kind) == expected


def test_an_idiom_the_dictionary_lists_as_one_word_is_cut_into_its_words(matcher):
    """หมูในเล้า is an idiom ("a sure thing") in the dictionary; here it is pigs in a sty dying."""
    assert answer(matcher, "หมูในเล้าตายไปห้าตัว ไม่กินอาหาร ตัวแดง") == "animal-disease-report"
