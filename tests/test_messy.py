"""Messages as villagers really send them: each style is everyday input, not an edge case."""
import pytest

from bot.catalogue import KnowledgeStore
from bot.config import ROOT
from bot.matcher import THAI_KEYBOARD


@pytest.fixture(scope="module")
def matcher():
    return KnowledgeStore(ROOT / "catalogue.json").current.matcher


def outcome(matcher, text):
    d = matcher.decide(text)
    return d.services[0] if d.kind == "answer" else (d.intent if d.kind == "intent" else d.kind)


def offered_first(matcher, text):
    """What the villager sees first: the service answered or offered first in a choice."""
    d = matcher.decide(text)
    return d.services[0] if d.kind in ("answer", "choose") else (d.intent if d.kind == "intent" else d.kind)


@pytest.mark.parametrize("thai,service", [
    ("สวัสดีค่ะ", "greeting"),
    ("ใบขับขี่หมดอายุ ต่อยังไง", "driving-licence-queue"),
    ("ตรวจสอบสิทธิ์บัตรสวัสดิการแห่งรัฐ", "social-welfare-check"),
    ("อบต เปิดกี่โมง", "contact"),
    ("เลิกงานกี่โมง", "contact"),  # g]bd'kodujF,': only Thai, not romanized guesses (gbd, kodujf)
])
def test_the_keyboard_left_on_english_is_read_as_thai(matcher, thai, service):
    from pythainlp.util import thai_to_eng
    typed = thai_to_eng(thai)  # ใบขับขี่ -> "ib-y[-u"
    assert outcome(matcher, typed) == service
    assert matcher.decide(typed).reading == THAI_KEYBOARD


def test_english_stays_english(matcher):
    d = matcher.decide("hello")
    assert (d.kind, d.intent, d.reading) == ("intent", "greeting", "as typed")


@pytest.mark.parametrize("text,service", [
    ("tam bai kub kee yang ngai", "driving-licence-queue"),
    ("check sit bat sawatdikan", "social-welfare-check"),
    ("sa wad dee ka", "greeting"),
    ("khob khun ka", "thanks"),
    ("kor chai fai fa", "electricity-provincial"),
])
def test_romanized_thai(matcher, text, service):
    """Romanized words are read by their sounds: the service comes first, but as a choice with
    "ask staff" (words we read by sound may hide the one that says it is another need)."""
    assert offered_first(matcher, text) == service
    assert matcher.decide(text).kind != "answer"


@pytest.mark.parametrize("text,service", [
    ("สิดรักสาพะยาบาน ตรวดสอบได้ไหม", "medical-welfare-check"),
    ("บัดสะหวัดดิกาน เช็กยังไง", "social-welfare-check"),
    ("ขอสานเร่ง พด ยังไง", "ldd-soil-supplies"),
])
def test_thai_spelled_by_sound(matcher, text, service):
    assert offered_first(matcher, text) == service


@pytest.mark.parametrize("text", ["ลูกไข้ขึ้นสูงตอนกลางคืน ไปโรงพยาบาลไหนดี", "มีคนทิ้งขยะ ช่วยจัดการหน่อย",
                                  "โดนหลอกให้โอนเงิน"])
def test_real_words_are_not_read_by_sound_as_terms(matcher, text):
    """ขึ้นสูง sounds like ขนส่ง without its vowels, จัดการ like ชื่อสกุล: vowels and letters must agree too."""
    assert matcher.decide(text).kind == "escalate"


@pytest.mark.parametrize("text,service", [
    ("ใบขบขีหมดอายุ", "driving-licence-queue"),           # tone marks and mai han-akat dropped
    ("ประกนสงคม มาตรา 40 สมัครยังไง", "social-security-section-40"),
    ("เเจ้งโรคระบาดสัตว์", "animal-disease-report"),        # เ เ typed for แ
    ("ใบขับบขี่หมดอายุ", "driving-licence-queue"),          # a doubled letter
])
def test_missing_marks_and_slips(matcher, text, service):
    assert outcome(matcher, text) == service


@pytest.mark.parametrize("text,not_service", [
    ("รถชนกันหน้าหมู่บ้าน มีคนเจ็บเลือดออก", "animal-disease-report"),   # หมู inside หมู่บ้าน
    ("ผ่อนไฟแนนซ์รถไม่ไหวแล้ว", "electricity-provincial"),               # ไฟ inside ไฟแนนซ์
])
def test_a_term_never_matches_inside_another_word(matcher, text, not_service):
    assert outcome(matcher, text) != not_service


@pytest.mark.parametrize("text,expected", [
    ("มื้อนี้เปิดบ่", "contact"),                               # Isan: today, open?
    ("เฮ็ดอีหยังได้แหน่", "help"),                              # Isan: what can you do
    ("งัวเป็นโรคปากเปื่อยเท้าเปื่อย แจ้งได้ไส", "animal-disease-report"),  # dialect noun (catalogue data)
    ("บ่อทองเปิดกี่โมง", "contact"),                             # บ่ only as a word: บ่อ stays
    ("อยากได้กล้าไม้มาปลูกเป็นฮั้วบ้าน ขอได้บ่", "tree-seedlings"),   # Isan ฮั้ว: a fence, no bid rigging
])
def test_dialect(matcher, text, expected):
    assert outcome(matcher, text) == expected


@pytest.mark.parametrize("text,expected", [
    ("เสาร อาทิตย เปด ปาว", "contact"),          # words found apart, typed without their marks
    ("ที่อยู สำนักงาน", "contact"),
    ("บ้านใหม่ที่นนทบุรี ขอไฟใหม่ยื่นออนไลน์ได้ไหมครับ", "choose"),  # ไหม is a word of its own, no ไหม้
])
def test_combinations_typed_without_marks(matcher, text, expected):
    assert outcome(matcher, text) == expected


def test_a_spelling_fix_takes_the_rest_of_the_word_typed_without_marks(matcher):
    assert matcher.index.standardise("อาทิตย นี้") == "อาทิตย์ นี้"   # not อาทิตย์ย
    assert matcher.index.standardise("อาทิต นี้") == "อาทิตย์ นี้"


@pytest.mark.parametrize("text,expected", [
    ("how to book queue driving license online", "driving-licence-queue"),  # English words mixed in
    ("tax refund tid tam yang ngai", "tax-refund-tracking"),
    ("my driving license lost, what to do", "escalate"),    # "lost" is หาย: a doubt word, as in Thai
    ("water meter broken ka", "escalate"),
    ("talk to real person please", "escalate"),             # asking for a person
    ("what can you do?", "help"),
])
def test_english_words_are_read_as_the_catalogue_says_them(matcher, text, expected):
    assert outcome(matcher, text) == expected


def test_english_words_are_whole_words_longest_first(matcher):
    read = matcher.index.in_thai_words
    assert read("thailand pigsty") == "thailand pigsty"          # no ที่ดิน in thailand, no หมู in pigsty
    assert read("land plot map") == "รูปแปลงที่ดิน แผนที่"       # the longer phrase first


@pytest.mark.parametrize("text,service", [
    ("ปอ กอ สอ มาตรา สี่สิบ สมัครยังไง", "social-security-section-40"),   # letters and a number dictated
    ("ติดตามเงินคืนภาษี ภงด เก้าสิบเอ็ด", "tax-refund-tracking"),
    ("พองอดอเก้าสิบเอ็ดยื่นออนไลน์ยังไงครับ", "personal-income-tax-filing"),  # glued, ภ written as its sound พ
    ("อยากสมัคร มอ สี่ ศูนย์ ทำในมือถือได้ไหม", "social-security-section-40"),  # its digits said one by one
    ("แม่ค้าจะสมัครมอสี่สิบต้องทำยังไง", "social-security-section-40"),       # ม. by its name, glued to the verb
])
def test_dictated_text(matcher, text, service):
    assert outcome(matcher, text) == service


@pytest.mark.parametrize("text", ["(สติกเกอร์)", "[Sticker]", "😀😀", "(หัวเราะ) (หัวเราะ)",
                                  "(sticker) Brown ชูนิ้วโป้ง"])  # a chat app's tag, then the sticker's name
def test_a_sticker_or_emoji_alone_is_small_talk(matcher, text):
    assert matcher.decide(text).kind == "intent"


@pytest.mark.parametrize("text", ["ยายขอบใจนะลูก ขอให้พระคุ้มครอง", "ส่งสติกเกอร์"])
def test_blessings_and_a_sticker_sent_are_small_talk(matcher, text):
    assert matcher.decide(text).kind == "intent"


def test_what_a_service_is_asked_with_is_no_doubt_about_it(matcher):
    """สิทธิ์อะไร doubts most services (a benefit question for staff), but a rights check is asked
    with it: the service's own not_doubt."""
    assert outcome(matcher, "เช็คสิทธิ์รักษาพยาบาล ว่าเป็นสิทธิ์อะไร") == "medical-welfare-check"


@pytest.mark.parametrize("text,expected", [
    ("พ่อตาบอดข้างนึง ขอบัตรผู้พิการ ต้องไปหาหมอก่อนบ่", "disability-card"),  # a step asked about
    ("ใบขับขี่หายก่อนหน้านี้ ทำใหม่ยังไง", "escalate"),                        # ก่อนหน้านี้: before now, still lost
])
def test_a_doubt_word_asked_as_a_step_first_is_no_other_need(matcher, text, expected):
    assert outcome(matcher, text) == expected


def test_another_services_not_this_says_nothing_about_the_service_asked(matcher):
    """ขายของตลาดนัด is not the supplier registration (its not_this); beside a section 40
    question it only tells what the aunt does for a living."""
    assert outcome(matcher, "สมัครม40ในมือถือได้มั้ยคะ ป้าขายของตลาดนัด") == "social-security-section-40"
    assert matcher.decide("ขายของตลาดนัดต้องลงทะเบียนอะไรไหม").kind != "answer"  # alone, still not answered


def test_a_question_after_a_sticker_tag_is_still_read(matcher):
    assert outcome(matcher, "[Sticker] ขอทำบัตรคนพิการ") == "disability-card"
    assert outcome(matcher, "(sticker) แล้วเมื่อไหร่จะได้คำตอบคะ") == "escalate"  # not understood: staff


@pytest.mark.parametrize("text", ["m.40 gub m.33 tang kan yang ngai", "I don't know, it's broken"])
def test_dots_and_english_apostrophes_keep_the_reading_as_typed(matcher, text):
    from bot.matcher import AS_TYPED
    assert matcher.decide(text).reading == AS_TYPED


def test_romanized_ma_40_is_section_40_but_not_before_a_count():
    from bot.thai import normalize
    assert "matra 40" in normalize("samak ma 40 dai mai")
    assert "matra" not in normalize("kuen phasi ror ma 40 wan laew")  # waited 40 days


def test_a_term_typed_without_an_inner_mark_keeps_its_last_one(matcher):
    """ใบขบขี่: the inner marks dropped, the last tone mark typed; the term is still the licence."""
    d = matcher.decide("ใบขบขี่หมดอายุ")
    assert d.services and d.services[0] == "driving-licence-queue"


def test_a_real_word_with_its_own_tone_mark_is_no_doubt_word(matcher):
    """ห้วยยาง is a stream's (and a village's) name, not ห่วย (lousy) typed without care."""
    assert outcome(matcher, "ที่นาแม่อยู่ทางห้วยยาง อยากดูรูปแปลงในแผนที่ออนไลน์") == "land-parcel-search"


def test_words_typed_with_other_tone_marks_are_not_a_doubt_word(matcher):
    """กล้าไม้ให้ holds ไม้ให้, not ไม่ให้ (refused): a villager who drops tone marks does not type
    other ones. Typed without any, it is still the doubt word."""
    assert outcome(matcher, "ทางกรมป่าไม้มีแจกกล้าไม้ให้ชาวบ้านไหม กรอกอะไรบ้าง") == "tree-seedlings"
    assert outcome(matcher, "เจ้าหน้าที่ไมให้ขอกล้าไม้ ทำไงดี") == "escalate"


def test_romanized_words_that_sound_like_a_known_word_are_that_word(matcher):
    """long tabian is ลงทะเบียน (a word of the supplier service's terms), not จองทะเบียน (plate
    booking) one sound off."""
    assert "vehicle-plate-number" not in matcher.decide("long tabien egp puu kaa").services


@pytest.mark.parametrize("text,expected", [
    ("ber tho soon noi ka", "contact"),                       # โทร is said "tho": its ร is silent
    ("kon song chonburi ber tho arai krub", "escalate"),      # another office's phone, romanized
    ("obt yu trong nai ka", "contact"),                       # อบต by its letters' sounds: this office
    ("phrung nee peed bor ka", "contact"),                    # เปิดบ่ typed as it sounds: open?
])
def test_romanized_contact_questions(matcher, text, expected):
    assert outcome(matcher, text) == expected


@pytest.mark.parametrize("text", [
    "มิเตอร์น้ำโดนขโมย",                                  # stolen, not a new connection
    "มีSMSบอกว่าจะได้เงินคืนภาษี ให้กดลิงก์ยืนยัน",            # a scam, not a refund
    "เงินสมทบ ม.40 ส่งขาดไปหลายเดือน",                     # missed payments, not registering
    "กล้าไม้ที่ได้มาตายหมด",                                # the seedlings died (a per-service doubt word)
])
def test_look_alikes_are_never_answered_confidently(matcher, text):
    assert matcher.decide(text).kind != "answer"


@pytest.mark.parametrize("text,expected", [
    ("หญ้าแฝกขอได้จั่งใด๋ สิปลูกกันดินสไลด์", "ldd-soil-supplies"),  # ดินสไลด์ inside a service's term
    ("ขอใช้ไฟฟ้าได้บ่ บ้านอยู่โคกสำโรง", "electricity-provincial"),  # ได้บ่ บ้าน is not ไหม้บ้าน
    ("ดินสไลด์ทับบ้าน ช่วยด้วย", "emergency"),
    ("ไฟไหม บ้านข้างๆ ช่วยด้วย", "emergency"),
])
def test_a_danger_needs_its_own_words(matcher, text, expected):
    d = matcher.decide(text)
    assert (d.services[0] if d.kind == "answer" else d.kind) == expected


def test_a_tripled_letter_inside_a_word_is_spelling_not_elongation(matcher):
    assert outcome(matcher, "ขอติดตั้งประปาที่บ้านในนนทบุรี") == "water-metropolitan"
    assert outcome(matcher, "ขอบคุณมากกกกค่ะ") == "thanks"


@pytest.mark.parametrize("text,expected", [
    ("วันหยุดสงกรานต์ศูนย์เปิดบ่", "contact"),      # the office's hours, not the festival
    ("ขอลิงก์จองคิวใบขับขี่หน่อย", "driving-licence-queue"),  # asking for the link is not a scam
    ("สิต่อน้ำประปาเข้าเฮือน เสียเงินเท่าใด๋", "water-provincial"),  # เสียเงิน: to pay, not broken
    ("ใบขับขี่หายต้องทำยังไง", "escalate"),          # lost: staff, with the card shown meanwhile
    ("ยื่นภาษีแล้วได้คืนน้อย ทำไมเป็นงั้น", "escalate"),  # asking why: their own case
    ("สมัครแล้ว แต่ในเว็บขึ้นว่าเลขบัตรผิด ประกันสังคมมาตรา 40", "escalate"),  # done, then it went wrong
    ("ตาบอดมาห้าปีแล้วแต่ยังไม่มีบัตรคนพิการ ขอทำยังไง", "disability-card"),  # ... but "not yet" is a new need
    ("อบต.อยู่ตรงไหนคะ", "contact"),                  # อบต glued to อยู่ is still a word of its own
    ("ลงทะเบียนบัตรคนจนไว้ อยากรู้ว่าผ่านไม่ผ่าน ดูยังไง", "social-welfare-check"),  # "passed or not" is no ไม่ผ่าน
    ("baan fai mai chuay duay", "emergency"),
    ("mitor fai mai chuay duay", "emergency"),     # romanized has no tones: a fire is not ruled out
    ("บ้านไหม้ไปแล้วโฉนดที่ดินก็ไหม้ ทำไงดี", "escalate"),  # ไหม้ said, and it is no ไหม
])
def test_look_alikes_and_their_harmless_twins(matcher, text, expected):
    assert outcome(matcher, text) == expected


@pytest.mark.parametrize("text,service", [
    ("pakan sangkom matra see sib samak yang ngai", "social-security-section-40"),  # a number said in words
    ("matra 40 samak yang ngai", "social-security-section-40"),                     # ... or in digits
    ("check nam sakul sam mai", "surname-check"),  # a final ล spelled "l", heard "n" (namsakun)
])
def test_romanized_numbers_and_finals(matcher, text, service):
    """Romanized evidence offers (never answers alone): the right service is offered first."""
    decision = matcher.decide(text)
    assert decision.kind == "choose" and decision.services[0] == service


@pytest.mark.parametrize("text,expected", [
    ("ขอเลขทะเบยีนรถสวยๆ", "vehicle-plate-number"),                   # two letters typed the wrong way round
    ("ขอสาร พอดอ ไปหมักฟาง", "ldd-soil-supplies"),                    # two letter names run together
    ("ตรวดชื่อสะกุนเบื้องต้น ลิ้งไหนคะ", "surname-check"),              # spelled by sound, a compound's parts
])
def test_guesses_are_offered(matcher, text, expected):
    assert offered_first(matcher, text) == expected


@pytest.mark.parametrize("text,not_offered", [
    ("พอมอเตอร์ไซค์ล้ม หาคนช่วยยก", "disability-card"),  # พอ|มอเตอร์ไซค์: no dictated พม (พอ มอ)
    ("จ่ายแค่พอดอกเบี้ย ทำไงดี", "ldd-soil-supplies"),   # พอ|ดอกเบี้ย: no dictated พด (พอ ดอ)
])
def test_dictated_letters_are_whole_words(matcher, text, not_offered):
    assert not_offered not in matcher.decide(text).services


def test_a_word_without_marks_is_not_found_where_marks_were_added(matcher):
    """อบต (the doubt word) is not in ขอบัตร: the skeleton finds words typed without their marks,
    not other words with marks in between."""
    from bot.thai import normalize
    ix = matcher.index
    assert ix.occurs(ix.prepare(ix.standardise(normalize("จะขอบัตรให้แม่")), matcher.t), "อบต", matcher.t) == []
    assert ix.occurs(ix.prepare(ix.standardise(normalize("ไปถามที่อบตได้ไหม")), matcher.t), "อบต", matcher.t) != []


def test_a_trouble_hint_offers_the_service_with_staff_instead_of_answering(matcher):
    """หยุด (stop) often, not mostly, means another need: the card is offered beside "none of
    these: ask staff", never answered outright; without it the same question is answered."""
    d = matcher.decide("ถ้าบัตรคนพิการของแม่หมดอายุ เงินจะหยุดไหมคะ")
    assert d.kind == "choose" and d.services[0] == "disability-card" and "หยุด" in d.reason
    assert outcome(matcher, "บัตรคนพิการของแม่หมดอายุ ต่อบัตรที่ไหนคะ") == "disability-card"


def test_a_doubt_word_in_the_story_before_the_ask_offers_the_service(matcher):
    """A long message that tells what happened, then asks for the service: the doubt word
    belongs to the story (the old pump broke), so the service is offered beside "ask staff";
    said after the service's words (the new meter broke), it is still another need."""
    story = ("เมื่อปีก่อนปั๊มน้ำบาดาลที่บ้านพังไปแล้ว ใช้น้ำฝนมาตลอด ตอนนี้ลูกหลานกลับมาอยู่ด้วยกันหลายคน "
             "อยากขอติดตั้งน้ำประปาเข้าบ้านค่ะ ทำยังไง")
    assert offered_first(matcher, story) == "water-provincial" and matcher.decide(story).kind == "choose"
    assert outcome(matcher, "ขอติดตั้งน้ำประปาเข้าบ้านไปแล้ว แต่มิเตอร์พังตั้งแต่วันแรก "
                            "ลูกหลานกลับมาอยู่ด้วยกันหลายคนใช้น้ำไม่ได้เลย ทำยังไงดีคะ") == "escalate"


def test_a_negation_typed_across_a_space_is_two_clauses(matcher):
    """ไม่ได้จะยกเลิก is "not going to cancel"; ไปไม่ได้ จะยกเลิก is "can't go, so will cancel"."""
    assert outcome(matcher, "จองคิวใบขับขี่ไว้ ไปไม่ได้ จะยกเลิกยังไง") == "escalate"
    assert outcome(matcher, "ไม่ได้จะยกเลิกนะ อยากจองคิวใบขับขี่ใหม่ยังไง") == "driving-licence-queue"


def test_asking_whether_a_service_is_really_free_is_no_rumour(matcher):
    """จริงไหม mostly asks about a scam (staff); ฟรีจริงไหม asks about the service itself."""
    assert outcome(matcher, "ขอกล้าไม้ได้ฟรีจริงไหม") == "tree-seedlings"
    assert outcome(matcher, "มี sms บอกว่าแจกกล้าไม้ฟรีจริงไหม ให้กดลิงก์") == "escalate"


def test_a_word_that_can_only_be_thai_keys_is_read_so_beside_latin_names(matcher):
    """]n,isyl (ลืมรหัส, forgot the password) typed on the English keyboard, then a Latin name as
    such: the word is read as Thai keys, the name as typed. Asked plainly, it is the queue."""
    from bot.matcher import THAI_KEYBOARD_IN_PART
    d = matcher.decide("]n,isyl dlt smart queue")
    assert d.kind == "escalate" and "ลืมรหัส" in d.reason and d.reading == THAI_KEYBOARD_IN_PART
    assert offered_first(matcher, "dlt smart queue jong kiw yang ngai") == "driving-licence-queue"


@pytest.mark.parametrize("text", [
    "yak yok lerk jong lek tabien rot",        # ยกเลิก: cancel a plate booking, said in Latin letters
    "bat kon pikan kong por hai yok lerk dai mai",
])
def test_a_thai_doubt_word_is_heard_in_romanized_text(matcher, text):
    """The doubt words are Thai; typed by their sounds they are the same doubt (four sounds or more)."""
    d = matcher.decide(text)
    assert d.kind == "escalate" and "ยกเลิก" in d.reason


def test_a_short_doubt_word_is_not_guessed_from_romanized_sounds(matcher):
    # ไม่ผ่าน (not passed) and "mai ban" (ใหม่ บ้าน: a new house) sound alike: too short to tell
    assert offered_first(matcher, "kor nam prapa mai ban yu korat") == "water-provincial"


def test_an_abbreviation_spelled_by_its_letters_latin_names(matcher):
    """por dor is พด read out letter by letter, typed in Latin letters (any abbreviation of the catalogue)."""
    assert offered_first(matcher, "kor sarn rer por dor online dai bor") == "ldd-soil-supplies"
    assert matcher.index.in_thai_words("tid meter kor for por") == "tid meter กฟภ"
    assert matcher.index.in_thai_words("kor for pai") == "kor for pai"  # names of no abbreviation stay


@pytest.mark.parametrize("text,expected", [
    ("ขอโอนสายหาเจ้าหน้าที่หน่อย", "escalate"),                  # a call-centre way to ask for a person
    ("ยื่นขอบัตรคนพิการไว้แล้ว นี่หลายเดือนแล้ว", "escalate"),      # waited longer than told: a follow-up
    ("ขอติดไฟไปตั้งนาน เรื่องเงียบหายเลย", "escalate"),
    ("หมักฟางในนาใช้อะไรดี ขอจากรัฐได้ไหม", "ldd-soil-supplies"),  # what the activators are for
])
def test_follow_ups_and_asking_for_a_person(matcher, text, expected):
    assert outcome(matcher, text) == expected


@pytest.mark.parametrize("text,expected", [
    ("บัตรคนจนเดือนนี้ได้รับหรือไม่ได้รับ ดูที่ไหน", "social-welfare-check"),  # "did it come or not?": a question
    ("บัตรคนจนรอบนี้ ผ่านก่บ่ผ่าน ดูจะใด", "social-welfare-check"),        # the same in northern dialect
    ("บัตรคนจนรอบนี้ไม่ผ่าน ทำไงดี", "escalate"),                         # "did not pass": another need
    ("บัตรคนจน เดือนนี้ได้รับไหม ไม่ได้รับเลยครับ", "escalate"),          # asked, then answered: it did not come
    ("บัตรคนจน ผ่านไหม ไม่ผ่านเลย", "escalate"),
    ("บัตรคนจน คนอื่นเขาได้รับ ไม่ได้รับคนเดียว", "escalate"),
])
def test_the_negative_half_of_a_yes_or_no_question_is_no_doubt(matcher, text, expected):
    assert outcome(matcher, text) == expected


@pytest.mark.parametrize("text", ["egp login mai dai ja tam ngai", "forgot password e-filing yuen pasee"])
def test_app_troubles_typed_in_english_are_another_need(matcher, text):
    assert outcome(matcher, text) == "escalate"


@pytest.mark.parametrize("text", ["mue ni pert bo", "ber thor one stop service"])
def test_romanized_and_english_contact_questions(matcher, text):
    assert outcome(matcher, text) == "contact"


@pytest.mark.parametrize("text,service", [
    ("ขอ พด สอง ทำยังไง", "ldd-soil-supplies"),           # a lone digit word after a numbered name
    ("ข้อยอยากได้ ปอ ดอ สาม ไปใส่นา ขอจั่งใด๋", "ldd-soil-supplies"),  # ป heard for พ, dictated
])
def test_a_digit_word_after_a_name_the_catalogue_numbers_is_its_number(matcher, text, service):
    assert offered_first(matcher, text) == service


def test_a_lone_digit_word_elsewhere_stays_a_word(matcher):
    assert "พด3" not in matcher.index.standardise("สามคนไปขอพด")
    assert "พด3" in matcher.index.standardise("ขอพด สาม")


def test_the_doubt_said_last_decides_whether_it_was_only_the_story(matcher):
    """A scam call told first (ให้โอนเงิน), then "is it really the office?" (จริงไหม) after the
    service's words: the question is about the call, not the service."""
    text = ("มีคนโทรมาบอกว่าใบขับขี่ผมถูกอายัด ให้โอนเงินค่าปลดล็อก 3,000 บาท ผมโอนไปแล้วครึ่งนึง "
            "เขาเป็นเจ้าหน้าที่ขนส่งจริงไหมครับ ตอนนี้ใจไม่ดีเลย")
    assert outcome(matcher, text) == "escalate"


def test_a_word_with_yai_in_it_is_read_aloud_as_yai():
    """ใหญ่ was romanized "ain": ผู้ใหญ่บ้าน (a doubt word) then sounded like "pen ban"."""
    from bot.thai import Tokenizer, thai_sound_keys
    assert {key for key, _ in thai_sound_keys("ผู้ใหญ่บ้าน", Tokenizer())} == {"pypn"}


def test_romanized_words_that_are_not_a_doubt_word(matcher):
    assert offered_first(matcher, "pen ban mai nai moo ban ja kor prapa tong tam arai") == "water-provincial"
    assert outcome(matcher, "tang sakul mai hai krob krua check online dai mai krub") != "escalate"


def test_a_typed_a_is_seldom_a_thai_u():
    """Typed u may be a Thai a (kub: ขับ) or a Thai u (pu: ผู้); typed a is seldom a Thai u, so
    payaban (พยาบาล) is not as like ผู้ใหญ่บ้าน as pu yai ban is."""
    from bot.matcher import _vowel_likeness
    from bot.thai import Tokenizer, thai_sound_keys, typed_vowel_keys
    said = lambda thai: [spoken for _, spoken in thai_sound_keys(thai, Tokenizer())]  # noqa: E731
    assert _vowel_likeness(typed_vowel_keys("pu yai ban"), said("ผู้ใหญ่บ้าน")) == 1.0
    assert _vowel_likeness(typed_vowel_keys("bai kub kee"), said("ใบขับขี่")) == 1.0
    assert _vowel_likeness(typed_vowel_keys("payaban"), said("ผู้ใหญ่บ้าน")) < 0.9


def test_one_dictionary_word_spelled_right_is_not_read_by_its_sounds(matcher):
    """โรงเรียน (a school) sounds like ร้องเรียน (a complaint): typed right, it is the school."""
    assert outcome(matcher, "ขายข้าวสารให้โรงเรียน ต้องเข้าระบบ egp บ่") != "escalate"
    assert offered_first(matcher, "ขายข้าวสารให้โรงเรียน ต้องเข้าระบบ egp บ่") == "government-supplier-registration"


@pytest.mark.parametrize("text", ["kaya mai mee kon ma kep 2 atit laew", "kok mu ban kaeng mee klin men",
                                  "fam moo kang baan men mak klin rai mak jaeng krai"])
def test_an_intent_heard_in_a_few_sounds_of_a_long_message_is_not_its_purpose(matcher, text):
    # atit laew heard as ได้แล้ว, men as เมนู: the rest (rubbish not collected, a smell) is for staff
    assert matcher.decide(text).kind == "escalate"


@pytest.mark.parametrize("text,intent", [("sawatdee krub", "greeting"), ("mee kon yoo mai", "greeting"),
                                         ("or bor tor pert gee mong", "contact")])
def test_an_intent_heard_that_explains_the_message_still_says_it(matcher, text, intent):
    assert outcome(matcher, text) == intent


@pytest.mark.parametrize("text,service", [("เชคสิทธบตรสวสดการ", "social-welfare-check"),
                                          ("ขอติดมิเตอรืไฟ", "electricity-provincial")])
def test_long_terms_typed_without_their_vowels_above_and_below(matcher, text, service):
    assert offered_first(matcher, text) == service


def test_real_words_are_not_a_term_without_its_vowels(matcher):
    from bot.thai import bare, skeleton
    assert bare(skeleton("บัตรสวัสดิการ"))[0] == "บตรสวสดการ"
    # ทุกวัน typed right is two words, never a term's bare letters
    assert matcher.decide("ไปทุกวันเลย").kind != "answer"


@pytest.mark.parametrize("text", ["ขึ้นทะเบียนหางาน", "ลงทะเบียนคนหางาน"])
def test_registering_as_a_job_seeker_is_the_unemployed_registration(matcher, text):
    assert outcome(matcher, text) == "unemployed-registration"


def test_thanks_but_something_more_goes_to_staff(matcher):
    assert matcher.decide("ขอบคุณค่ะ แต่ลิงก์เปิดไม่ได้").kind == "escalate"
    assert outcome(matcher, "ขอบคุณค่ะ") == "thanks"


def test_a_card_already_applied_for_is_not_a_new_application(matcher):
    assert matcher.decide("บัตรคนพิการ ยื่นไปแล้ว ได้ยัง").kind == "escalate"


def test_a_latin_name_amid_thai_typed_on_the_english_keyboard_stays_as_typed(matcher):
    from pythainlp.util import thai_to_eng
    typed = f"{thai_to_eng('สมัคร')} e-GP {thai_to_eng('ยังไงครับ')}"  # l,y8i e-GP py'w'8iy[
    assert outcome(matcher, typed) == "government-supplier-registration"


def test_an_app_that_does_not_show_it_is_trouble(matcher):
    assert matcher.decide("ใบขับขี่ digital ในแอพไม่ขึ้น").kind == "escalate"


@pytest.mark.parametrize("text,expected", [("อบต. เปิด gee mong คะ", "contact"),
                                           ("yuen tax ปีนี้ ทำในมือถือได้ไหม", "personal-income-tax-filing")])
def test_romanized_words_amid_thai_are_read_in_thai(matcher, text, expected):
    assert offered_first(matcher, text) == expected


def test_an_all_latin_message_is_not_read_word_by_word(matcher):
    # only amid Thai: "kor meter fai mai" is matched by its sounds as a whole
    assert matcher.index.in_thai_words("kor tong pert gee mong") == "kor tong pert gee mong"


def test_a_latin_name_is_no_syllable_of_a_thai_term_heard_across_words(matcher):
    # PEA kho mitter was heard as a civil servant's medical claim (its sounds, glued across words)
    assert offered_first(matcher, "PEA kho mitter mai online dai mai ja") == "electricity-provincial"


def test_romanized_hai_before_a_verb_is_to_not_lost(matcher):
    assert outcome(matcher, "pae tai lai tua hai jaeng yang ngai ja") == "animal-disease-report"
    assert matcher.decide("bat kon jon hai tam mai yang ngai ka").kind != "answer"  # lost: make a new one


def test_asking_for_a_person_in_romanized_words(matcher):
    d = matcher.decide("kho lom kap jao nathi tee or bor tor")
    assert d.kind == "escalate" and d.reason == "asked for a person"


def test_a_doubt_word_without_its_marks_is_not_found_across_the_end_and_start_of_two_words(matcher):
    # บ้านอยู่ ยโสธร: ู่ ย is no ยุ่ย; spaced-out whole words without marks still say it (ไม ผาน)
    assert matcher.decide("ขอมิเตอร์ไฟใหม่ครับ บ้านอยู่ ยโสธร").kind == "answer"
    assert matcher.decide("บัตรสวัสดิการ รูด ไม ผาน ที่ ราน").kind == "escalate"


def test_wanting_workers_is_the_job_centre(matcher):
    assert outcome(matcher, "อยากได้คนงาน ตัดอ้อย 10 คน หาที่ไหน") == "smart-job-center"


def test_a_word_the_catalogue_says_is_not_the_service_hides_a_combinations_part_inside_it(matcher):
    # โค (a cow) is a piece of โควิด: an epidemic among people, not among animals
    assert outcome(matcher, "โควิดระบาดในหมู่บ้าน ทำไงดี") == "escalate"
    assert outcome(matcher, "โคป่วย ทำไงดี") == "animal-disease-report"


@pytest.mark.parametrize("text", [
    "โรคระบาดในหมู่บ้าน คนป่วยหลายคน",            # people are counted in คน, animals in ตัว
    "กล้าไม้ที่ขอไป ยังไม่ได้เลย สองเดือนแล้ว",       # asked for already, still not come
    "ขอหญ้าแฝกไปแล้ว ได้มาแต่รากเน่าหมด",          # what came is rotten
    "จ่ายประกันสังคมมาตรา 40 ไปแล้ว จะเอาใบเสร็จ",   # paid already, wants a receipt
    "ขอร่วมใช้นามสกุลของลุง",                     # joining a surname is not a new one
])
def test_look_alikes_said_with_everyday_words(matcher, text):
    assert matcher.decide(text).kind != "answer"


def test_low_income_is_no_doubt_about_the_welfare_card(matcher):
    assert outcome(matcher, "รายได้น้อยค่ะ ทำนาอย่างเดียว อยากรู้ว่ามีสิทธิ์บัตรสวัสดิการไหม") == "social-welfare-check"


@pytest.mark.parametrize("text", ["yuen pasee pai laew mee ngern keun ja dai muea rai",
                                  "ngern keun pasee yang mai dai loei check dai tee nai"])
def test_romanized_asking_when_the_refund_comes_is_the_refund(matcher, text):
    assert offered_first(matcher, text) == "tax-refund-tracking"


def test_english_email_and_case_are_read_as_the_thai_words(matcher):
    assert outcome(matcher, "ขอ email อบต. จะส่งเอกสาร") == "contact"
    assert offered_first(matcher, "case kan fong tee san, check status online dai mai") == "legal-case-status"


@pytest.mark.parametrize("text", ["เบิกค่ารักษาไม่ได้", "จองคิวใบขับขี่ไม่ได้", "ยื่นภาษีออนไลน์ไม่ได้"])
def test_a_service_that_could_not_be_done_is_offered_with_staff(matcher, text):
    # "X ไม่ได้": tried and failed, or not allowed; the steps may help, staff may be needed
    d = matcher.decide(text)
    assert d.kind == "choose" and "ไม่ได้" in d.reason


def test_a_new_meter_with_the_supply_named_is_that_supply(matcher):
    assert outcome(matcher, "อยากเดินไฟเข้าสวน ขอมิเตอร์ใหม่ online ได้ไหม") == "electricity-provincial"
    assert outcome(matcher, "ขอมิเตอร์ใหม่ น้ำประปา") == "water-provincial"


@pytest.mark.parametrize("text", [
    "ค้นเลขโฉนดในแอปแล้วขึ้นว่าไม่พบข้อมูล ทั้งที่โฉนดอยู่ในมือ",        # the system's own error message
    "ต่อใบขับขี่มาแล้ว แต่ในแอปยังขึ้นใบเก่าหมดอายุ ใช้ได้มั้ย",         # done already, but...
    "แม่ยังใช้สิทธิ์ข้าราชการต่อได้มั้ย โรงบาลบอกสิทธิ์หลุด",
])
def test_a_service_done_that_went_wrong_is_never_answered_confidently(matcher, text):
    assert matcher.decide(text).kind != "answer"


def test_the_job_centres_new_name(matcher):
    assert outcome(matcher, "ไทยมีงาน สมัครยังไง") == "smart-job-center"


def test_romanized_could_not_offers_with_staff(matcher):
    assert matcher.decide("web thai mee ngan tam lom, kao mai dai").kind == "choose"


def test_saying_you_are_confused_asks_for_help_only_when_that_is_all(matcher):
    assert outcome(matcher, "งงมาก") == "help"
    assert outcome(matcher, "ได้หมายเรียกจากตำรวจ งงมาก ไม่เคยทำอะไรผิด") == "escalate"


def test_a_doubt_word_typed_without_marks_starts_a_word(matcher):
    """ยุ่ย (crumbling) typed without its mark is still heard, but not in the letters that end
    one word and begin the next (อยู่|ยโสธร: "lives in Yasothon")."""
    assert outcome(matcher, "ขอไฟเข้าบ้านได้ไหม อยู่ยโสธร") == "electricity-provincial"
    assert outcome(matcher, "ขอมิเตอร์ไฟยุยแล้ว") == "escalate"


@pytest.mark.parametrize("text", [
    "จองคิวใบขับขี่ไว้ แต่ไปถึงบอกไม่มีในระบบ",    # not in the system
    "ขอติดไฟฟ้าใหม่ไปนานแล้ว ยังไม่มีคนมาติด",      # nobody came yet
    "ขอประปาใหม่ รอนานมากแล้วค่ะ",                 # waited long
    "bat khon jon ngern bor khao",                  # Isan "not", romanized: the money is not in
])
def test_waiting_and_not_found_are_another_need(matcher, text):
    assert matcher.decide(text).kind != "answer"


def test_an_admins_doubt_word_with_a_digit_is_looked_for_like_any_other(matcher):
    """A digit is on no Thai key: a doubt word written with one (จ่าย 2 รอบ) is never a key slip
    of another word, and never stops the bot from reading a message."""
    from bot.matcher import _one_slip
    assert not _one_slip("2รอบ", "3รอบ")
    assert matcher.decide("จ่ายค่าขอมิเตอร์ไฟไปสองรอบ").kind != "answer"  # paid twice


@pytest.mark.parametrize("text", [
    "ขอกล้าไม้ไปตั้งแต่ต้นเดือน จนวันนี้ยังไม่ได้",          # still nothing, to this day
    "ยื่นขอติดมิเตอร์ไฟฟ้าไปแล้ว ไปถามเขาบอกไม่มีเรื่องในระบบ",  # not in the system
    "ขอประปาไว้แล้ว จ่ายเงินแล้วแต่ช่างยังไม่มา",               # paid, nobody came
])
def test_a_story_of_a_request_that_went_nowhere_goes_to_staff(matcher, text):
    assert outcome(matcher, text) == "escalate"


def test_a_status_the_site_shows_is_still_the_service(matcher):
    """What the refund page says (ขึ้นว่าอยู่ระหว่างดำเนินการ) is the service's own question."""
    assert outcome(matcher, "สถานะคืนภาษีขึ้นว่าอยู่ระหว่างดำเนินการ แปลว่าอะไร") == "tax-refund-tracking"


@pytest.mark.parametrize("text,service", [
    ("kai khong hai rong rian tong long tabian arai", "government-supplier-registration"),  # to a school
])
def test_romanized_school_is_no_complaint(matcher, text, service):
    """โรงเรียน (school) and ร้องเรียน (complain) sound alike: "to the school" is no complaint."""
    assert offered_first(matcher, text) == service


def test_romanized_complaint_is_still_heard(matcher):
    assert outcome(matcher, "yak rong rian jao nathi khon song") == "escalate"


def test_a_doubt_word_typed_without_the_mark_between_two_like_letters(matcher):
    """ไม่มี typed without its tone mark is ไมมี: the two ม are not a key typed twice (ใบขับบขี่)."""
    assert outcome(matcher, "ขอไฟฟาใหมไปแลว เคาบอกไมมีเรืองในระบบ") == "escalate"
    assert outcome(matcher, "ขอไฟฟ้าใหม่ไปแล้ว เขาบอกไม่มีเรื่องในระบบ") == "escalate"


def test_a_doubt_entry_of_alternatives_is_each_of_them():
    """An admin writes "สิทธิสิ้นสุด|สิ้นสุดสิทธิ" for either word, as in a combination's parts."""
    from bot.matcher import _Doubts
    assert set(_Doubts.of(["สิทธิสิ้นสุด|สิ้นสุดสิทธิ", "หาย"]).words) == {"สิทธิสิ้นสุด", "สิ้นสุดสิทธิ", "หาย"}


@pytest.mark.parametrize("text", [
    "ยื่นภาษีไปแล้ว เว็บขึ้นว่ายื่นซ้ำ ทั้งที่ยื่นครั้งเดียว",         # "even though": something went wrong
    "จองคิวใบขับขี่ไว้ ไปถึงเขาบอกไม่มีชื่อ",                      # told: not on the list
])
def test_even_though_and_what_they_were_told_are_another_need(matcher, text):
    assert outcome(matcher, text) == "escalate"


def test_both_the_land_and_the_house_is_no_even_though(matcher):
    assert outcome(matcher, "อยากดูรูปแปลงที่ดิน ทั้งที่ดินและบ้าน ดูในเว็บได้ไหม") == "land-parcel-search"


def test_done_already_then_a_not_offers_the_service_with_staff(matcher):
    """A service's words, แล้ว (done), then ไม่: what happened after, not yet a new request. The
    service is offered beside "ask staff" instead of answered outright."""
    d = matcher.decide("ขอหญ้าแฝกแล้วไม่งามเลย")
    assert (d.kind, d.services[0]) == ("choose", "ldd-soil-supplies")
    assert outcome(matcher, "สมัครมาตรา 40 ต้องใช้อะไรบ้าง") == "social-security-section-40"


def test_a_service_already_asked_for_is_offered_with_staff(matcher):
    """The service's words, then ไปแล้ว / ไว้แล้ว (asked already): whatever follows is about that
    request. The card comes first, beside "ask staff", instead of the card alone."""
    d = matcher.decide("ขอประปาไปแล้ว จะได้เมื่อไหร่")
    assert (d.kind, d.services[0]) == ("choose", "water-provincial")


def test_quitting_a_contribution_is_another_need(matcher):
    """Stopping section 40's monthly payments is not signing up (the catalogue's doubt words)."""
    assert outcome(matcher, "เลิกส่งมาตรา 40 ได้ไหม ไม่มีเงินแล้ว") == "escalate"
    assert outcome(matcher, "อยากส่งมาตรา 40 สมัครยังไง") == "social-security-section-40"


def test_the_thing_asked_for_earlier_is_offered_with_staff(matcher):
    """ที่ขอไว้ / ที่จองไว้ (the one I asked for): a request already made, whatever is asked about it."""
    d = matcher.decide("กล้าไม้ที่ขอไว้ จะไปรับได้วันไหน")
    assert (d.kind, d.services[0]) == ("choose", "tree-seedlings")
    assert outcome(matcher, "อยากขอกล้าไม้ไปปลูกที่สวน ทำยังไง") == "tree-seedlings"


@pytest.mark.parametrize("text,expected", [
    ("จะประมูลป้ายทะเบียน ไปดูอยูทีไหน", "vehicle-plate-number"),  # "look where", not "where is it"
    ("อยากได้ทะเบียนรถเลขสวย เบิงอยูไส", "vehicle-plate-number"),  # เบิ่ง (look) without its mark
])
def test_everyday_phrases_and_dialect_words_typed_without_marks_are_still_themselves(matcher, text, expected):
    assert outcome(matcher, text) == expected


def test_a_dialect_word_without_marks_is_not_read_where_it_is_another_word(matcher):
    # จะได๋ (how) without its mark is จะได้ (will get): left as typed
    assert "ยังไง" not in matcher.index.standardise("จะได")
    assert "ดู" in matcher.index.standardise("เบิง")


def test_trouble_last_time_before_this_time_is_the_story_not_the_need(matcher):
    text = "ปีที่แล้วผมยื่นภาษีช้าเพราะลืม เลยโดนปรับไปหลายร้อยบาท ปีนี้ตั้งใจจะทำให้ทันกำหนด ยื่นผ่านแอปในมือถือเองได้ไหมครับ"
    assert offered_first(matcher, text) == "personal-income-tax-filing"
    # without "this time", the same trouble is the need: staff see it
    assert outcome(matcher, "ยื่นภาษีผ่านแอปในมือถือไปแล้ว แต่โดนปรับหลายร้อยบาท ทำไมเป็นแบบนั้นครับ") == "escalate"


def test_an_everyday_romanized_word_alone_is_not_a_term_by_its_sounds(matcher):
    # kong is ของ (of), not เก่ง (well done) nor a sick animal; with its neighbour it still counts
    read = [(typed, label) for typed, label, *_ in matcher.decide("yak kai kong hai rachakan tong tham yang ngai").matched]
    assert not any(typed == "kong" for typed, _ in read)


@pytest.mark.parametrize("text,expected", [
    ("อยากได้ยางนาไปปลูกริมคันนา ขอได้ที่ไหนครับ", "tree-seedlings"),      # a tree by its kind, asked for
    ("ต้นประดู่ใหญ่หน้าวัดล้มขวางถนน ใครจะมาเอาออก", "escalate"),          # a fallen tree is no seedling
])
def test_trees_by_their_kind(matcher, text, expected):
    assert outcome(matcher, text) == expected


def test_romanized_hai_after_a_request_is_for_someone_not_lost(matcher):
    assert offered_first(matcher, "yai kon kae yak tham bat kon pikan hai") == "disability-card"   # ทำ...ให้: for her
    assert outcome(matcher, "bat kon pikan hai") == "escalate"                                        # บัตร...หาย: lost


def test_bleeding_typed_in_latin_letters_is_not_ok(matcher):
    # เลือดออก (bleeding, dengue) romanized holds "ok": no thanks-and-goodbye for a sick grandmother
    assert outcome(matcher, "yai pen kai leuad ok ka") == "escalate"


@pytest.mark.parametrize("text,expected", [
    ("ดินที่แม่แบ่งให้อยู่ตรงไหน ดูในแผนที่ได้ไหม", "land-parcel-search"),  # ดิน for ที่ดิน, as villagers say it
    ("ป้าอายุห้าสิบห้ายังแข็งแรง มีงานให้คนวัยนี้ทำบ้างไหม", "smart-job-center"),
    ("น้องเรียนจบมาได้สองเดือน ยังไม่มีงานเลย ขอลงทะเบียนผู้ว่างงานหน่อย", "unemployed-registration"),  # not any งาน
])
def test_everyday_ways_to_ask_for_land_and_work(matcher, text, expected):
    assert outcome(matcher, text) == expected


@pytest.mark.parametrize("text,expected", [
    ("ยื่นแบบไปตั้งแต่ต้นปี อยากรู้ว่าเงินคืนถึงไหนแล้วคะ", "tax-refund-tracking"),  # filed already: the refund
    ("พี่ทำงานบริษัทมาหกปี ส่งประกันสังคมทุกเดือน ตอนนี้บริษัทลดคน พี่โดนด้วย จะขอเงินยังไง",
     "social-security-unemployment-benefit"),                                      # laid off, insured
])
def test_what_came_before_the_ask_decides_between_two_services(matcher, text, expected):
    assert offered_first(matcher, text) == expected


@pytest.mark.parametrize("text,expected", [
    ("phaen tee or bor tor noi", "contact"),       # แผนที่ + อบต: a combination's word said in Latin letters
    ("bam nan bik ka raksa dai mai", "medical-welfare-check"),   # บำนาญ + เบิก
    ("yak dai ton mai pai pluk", "tree-seedlings"),
])
def test_a_combination_is_heard_in_romanized_words(matcher, text, expected):
    assert outcome(matcher, text) == expected


@pytest.mark.parametrize("text", [
    "ต่อน้ำประปาแตกหน้าบ้าน ทำไงดี",             # ท่อ typed ต่อ: a burst pipe, not a connection
    "nam prapa rua tang wan",                       # รั่ว typed in Latin letters: a leak
])
def test_a_broken_or_leaking_pipe_goes_to_staff(matcher, text):
    assert outcome(matcher, text) == "escalate"


def test_a_soundless_romanized_word_belongs_to_the_term_after_it(matcher):
    # "ha" has no consonant sound (h is silent) yet is the หา of หางาน: looking for work is offered
    assert offered_first(matcher, "luk jop ma yak ha ngan") == "smart-job-center"


@pytest.mark.parametrize("text,service", [
    ("ป้ายเลขสวยเขาประมูลกันอยู่ไส", "vehicle-plate-number"),       # where do people do it: the service
    ("อยากตรวจนามสกุลใหม่ ตรวจอยู่ไส", "surname-check"),
])
def test_where_to_do_the_service_is_no_doubt(matcher, text, service):
    assert outcome(matcher, text) == service


@pytest.mark.parametrize("text", ["abt ber arai ka", "tee tum kan abt yoo tee dai"])
def test_the_office_asked_after_in_latin_letters(matcher, text):
    assert outcome(matcher, text) == "contact"


@pytest.mark.parametrize("text", ["ตกลงค่ะ", "งับ"])
def test_agreeing_and_leaving_are_small_talk(matcher, text):
    assert outcome(matcher, text) == "thanks"


def test_asking_what_can_be_done_after_a_story_of_trouble_goes_to_staff(matcher):
    assert outcome(matcher, "ฝนไม่ตกมาสองเดือน นาแห้งหมดแล้ว ข้าวตายเกือบหมด ใครช่วยได้บ้าง") == "escalate"
    assert outcome(matcher, "ช่วยอะไรได้บ้าง") == "help"   # asked on its own: the menu


def test_help_with_a_pronoun_inside_is_the_menu_not_an_empty_message(matcher):
    assert outcome(matcher, "ช่วยอะไรฉันได้บ้าง") == "help"   # every word is a pronoun or particle but the phrase


def test_a_number_word_after_a_numbered_name_ends_at_the_word_cut(matcher):
    assert matcher.index.standardise("พดเจ็ดไล่แมลง") == "พด7ไล่แมลง"   # glued to the next word: still พด7
    assert offered_first(matcher, "พด.เจ็ดไล่แมลงขอได้ที่ไหน") == "ldd-soil-supplies"


def test_a_number_word_inside_a_longer_word_is_no_number(matcher):
    idx = matcher.index
    assert idx.standardise("มาตราสามีจ่ายให้") == "มาตราสามีจ่ายให้"   # สามี (husband), not มาตรา3


def test_a_romanized_number_word_is_read_whole(matcher):
    assert matcher.index.standardise("พด hah") == "พด5"   # hah, not the ha it begins with


def test_a_thai_key_before_a_number_is_the_letter(matcher):
    # ม40 (ม.40) typed with the keyboard on English: "," is ม, and a phone types 40 as digits
    assert outcome(matcher, "l,y8i ,40 mew'") == "social-security-section-40"
    from bot.thai import as_thai_keyboard
    assert "1,400" in as_thai_keyboard("pay 1,400 baht")   # a comma after a digit stays a comma


@pytest.mark.parametrize("text,expected", [
    ("ลำไยราคาตก ขาดทุน ช่วยอะไรได้บ้าง", "escalate"),   # a short story, then a plea: for staff
    ("ถามอะไรได้มั่งเนี่ย", "help"),                      # มั่ง is บ้าง; เนี่ย is a particle
    ("ช่วยอะไรได้บ้างค้าบ", "help"),
])
def test_help_must_be_most_of_the_message(matcher, text, expected):
    assert outcome(matcher, text) == expected


def test_a_typed_b_is_never_an_aspirated_ph(matcher):
    """Villagers type ป as p, b or bp, and พ ภ ผ as p or ph, never as b: "ban mai" (a new house)
    is no พันธุ์ไม้ (tree seedlings), while "pan mai" still may be."""
    from bot.thai import shapes_clash, syllable_shapes
    assert shapes_clash(syllable_shapes("banmai"), syllable_shapes("phanmai"))
    assert not shapes_clash(syllable_shapes("panmai"), syllable_shapes("phanmai"))
    assert not shapes_clash(syllable_shapes("kubkee"), syllable_shapes("khapkhi"))   # a final b is a p
    d = matcher.decide("sang ban mai yak dai fai fa")
    assert d.services[0] == "electricity-provincial" and "tree-seedlings" not in d.services
    assert offered_first(matcher, "kor pan mai pai pluk") == "tree-seedlings"


def test_a_word_without_written_vowels_is_heard_syllable_by_syllable(matcher):
    """RTGS reads ชดเชย as "chadachoei"; villagers type what they hear, chot choei."""
    from bot.thai import Tokenizer, thai_said
    assert "chotchoei" in thai_said("ชดเชย", Tokenizer())
    # compensation for a dead cow is another need than reporting the disease: staff, with the card
    assert outcome(matcher, "kwai tai laew ja dai ngoen chod choei mai") == "escalate"


def test_an_abbreviation_only_heard_does_not_pick_the_region(matcher):
    """"kao ban" has กปน's consonant sounds, but an abbreviation is said by its letters' names (kor
    por nor): the water is still the province's (Chonburi). The agency's name heard in words is
    still the agency."""
    assert offered_first(matcher, "ja kor tor nam pa pa kao ban tee chonburi krub") == "water-provincial"
    assert offered_first(matcher, "kor nam pa pa mai kor por nor") == "water-metropolitan"   # named clearly
    assert offered_first(matcher, "kor tid tang nam prapa kub prapa nakorn luang") == "water-metropolitan"
    from bot.thai import is_abbreviation
    assert is_abbreviation("กปน") and not is_abbreviation("ประปา")


def test_a_typed_ai_is_never_a_thai_u(matcher):
    """ai is typed only for ไ ใ: "prapa mai baan" is water for a new house, not ประปาหมู่บ้าน (the
    village's own supply, for staff), which is still heard as moo baan."""
    assert offered_first(matcher, "yak kor nam prapa mai baan yoo khon kaen") == "water-provincial"
    assert outcome(matcher, "prapa moo baan mai lai") == "escalate"


@pytest.mark.parametrize("typed,said,clash", [
    ("maibaan", "muban", True),      # ai is never อุ
    ("muban", "maiban", True),       # ... nor อุ ai
    ("keemai", "kumai", True),       # ee is never อุ
    ("baikubkee", "baikhapkhi", False),   # typed u for a Thai a (ขับ) is everyday
])
def test_vowel_kinds_never_typed_for_one_another(typed, said, clash):
    from bot.thai import shapes_clash, syllable_shapes
    assert shapes_clash(syllable_shapes(typed), syllable_shapes(said)) is clash


@pytest.mark.parametrize("text,service", [
    ("ขึ้นทะเบียนคนวางงานต้องทำยังไง", "unemployed-registration"),  # ว่างงาน: its own งง, its tone mark dropped
    ("ต้องการสมัครเป็นคนวางงาน", "unemployed-registration"),
])
def test_a_terms_own_double_letter_survives_a_dropped_mark(matcher, text, service):
    """A letter typed twice is read once (ใบขับบขี่), but not a term's own pair of letters."""
    assert outcome(matcher, text) == service


@pytest.mark.parametrize("text,service", [
    ("ขอหย้าแฝกไปปลูก", "ldd-soil-supplies"),                 # ญ typed ย: grass, not a divorce (หย่า)
    ("ตรวดสอบนามสกุนใหม่ให้หน่อย", "surname-check"),          # ล at a syllable's end typed น
    ("เช็คสิทธิ์บัดคนจนได้ที่ไหน", "social-welfare-check"),     # ตร at the end typed ด
])
def test_letters_that_sound_alike_are_read_as_the_term(matcher, text, service):
    assert outcome(matcher, text) == service


def test_a_syllable_end_is_told_from_letters_around_it():
    from bot.thai import sound_skeleton
    assert sound_skeleton("ศาล") == sound_skeleton("ศาน")
    assert sound_skeleton("แห่งรัฐ") == sound_skeleton("แห่งรัด")
    assert sound_skeleton("ตีกัน") != sound_skeleton("ตี้ขน")  # ขน starts a syllable: no fight in ตี้ขนส่ง
    assert sound_skeleton("เล็ก") != sound_skeleton("เลข")    # ็ keeps a vowel short
    assert sound_skeleton("ไหล่") != sound_skeleton("ไหน")    # ห leads ล: ล starts the syllable
    assert sound_skeleton("ดูช่วง") != sound_skeleton("ดูดวง")  # ช before ว starts one
    assert sound_skeleton("บัตร") == sound_skeleton("บัด")     # a silent ร


@pytest.mark.parametrize("text,not_service", [
    ("ลูกคนเล็กสวยเหมือนแม่", "vehicle-plate-number"),        # not เลขสวย
    ("คนพิการรอบนี้ได้เงินเพิ่มไหม", "disability-card"),      # รอบ's ร is not a silent end of พิการ
])
def test_everyday_words_are_not_read_as_terms_by_their_sounds(matcher, text, not_service):
    d = matcher.decide(text)
    assert not (d.kind == "answer" and d.services[0] == not_service)


def test_a_region_spelled_by_its_sounds_is_offered(matcher):
    assert offered_first(matcher, "ค่าน้ำประปาส่วนพูมิภาค") == "water-provincial"  # ภ typed พ


@pytest.mark.parametrize("text,service", [
    ("ขอสอบถามเรื่องการต่อใบขับขี่ต้องจองคิวที่ไหน", "driving-licence-queue"),  # ขอสอบ|ถาม is no ข้อสอบ (an exam)
    ("สมัครมาตรา 40 ต้องเสียเท่าไหร่", "social-security-section-40"),            # เสีย a sum: paying, nothing broken
])
def test_everyday_phrases_holding_a_doubt_word_are_no_doubt(matcher, text, service):
    assert outcome(matcher, text) == service


@pytest.mark.parametrize("text,service", [
    ("ต่อใบขับขี่ต้องจองคิวที่ไหนคะ ขอเบอร์โทรอบต.ด้วย", "driving-licence-queue"),
    ("ยื่นภาษีเงินได้ออนไลน์ยังไง แล้วเบอร์ อบต คือเบอร์อะไร", "personal-income-tax-filing"),
])
def test_the_office_named_in_asking_its_number_is_no_doubt(matcher, text, service):
    """อบต in "the อบต's number" is what else was asked, not the office's own procedure."""
    d = matcher.decide(text)
    assert d.kind == "answer" and d.services[0] == service and "contact" in d.also


def test_where_an_agency_is_stays_a_question_for_staff(matcher):
    assert matcher.decide("การประปาสาขาอำเภอเมืองอยู่ไหนคะ").kind != "answer"


@pytest.mark.parametrize("text,service", [
    ("อบต.บอกว่าให้ไปขอกล้าไม้ฟรีทางเน็ต ขอยังไง", "tree-seedlings"),          # what the office said: a story
    ("ร้านวัสดุอยากเป็นผู้ขายให้เทศบาล ลงทะเบียนยังไง", "government-supplier-registration"),  # selling to a municipality
])
def test_the_office_in_a_story_or_as_the_buyer_is_no_doubt(matcher, text, service):
    assert outcome(matcher, text) == service


def test_a_job_the_municipality_offers_goes_to_staff(matcher):
    assert matcher.decide("เทศบาลบอกว่าจ้างคนขับรถ สมัครยังไง").kind == "escalate"


def test_a_word_heard_clearly_is_not_swallowed_by_a_vaguer_term_across_it(matcher):
    """kadee look: คดี heard exactly and look, not ขุดลอก (dredging), whose vowels are only somewhat
    alike: the son's court case is offered, not sent to staff as a canal to dredge."""
    assert offered_first(matcher, "yak ru wa kadee look chai pen yang ngai") == "legal-case-status"
