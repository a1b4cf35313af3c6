"""Every sentence the bot says, in one place (polite, short, Thai).

Placeholders are filled with ``str.format``. Keep each under LINE's limits: button labels 40
characters, quick-reply labels 20.
"""

WELCOME = (
    "สวัสดีค่ะ ยินดีต้อนรับสู่ผู้ช่วย {office_short} 🙏\n"
    "พิมพ์ถามเรื่องบริการออนไลน์ของรัฐได้เลย เช่น จองคิวทำใบขับขี่ ขอใช้ไฟฟ้า ทำบัตรคนพิการ "
    "ระบบจะตอบขั้นตอน เบอร์โทร และลิงก์ให้ทันที เรื่องที่ตอบไม่ได้จะส่งต่อเจ้าหน้าที่ค่ะ\n"
    "ความเป็นส่วนตัว: ข้อความที่ส่งมาใช้เพื่อตอบคำถามและส่งต่อเจ้าหน้าที่ {office_short} เท่านั้น"
)
GREETING = "สวัสดีค่ะ 🙏 พิมพ์ถามเรื่องที่ต้องการได้เลย เช่น \"ต่อใบขับขี่\" \"ขอติดไฟฟ้าบ้านใหม่\" หรือกดดูบริการทั้งหมดด้านล่างค่ะ"
THANKS = "ยินดีค่ะ 😊 มีอะไรสอบถามเพิ่มเติม พิมพ์มาได้ตลอดนะคะ"
HELP = ("ผู้ช่วยนี้ตอบเรื่องบริการออนไลน์ของรัฐ {count} เรื่อง ใน 3 หมวด: ประชาชนทั่วไป ธุรกิจ/SME และแรงงาน/หางาน "
        "บอกขั้นตอน เบอร์โทร และลิงก์ให้ค่ะ เลือกหมวดด้านล่าง หรือพิมพ์ถามได้เลย\n"
        "เรื่องอื่นของ {office_short} (ถนน ไฟทาง ภาษีท้องถิ่น เบี้ยยังชีพ ฯลฯ) พิมพ์มาได้ เจ้าหน้าที่จะตอบให้ค่ะ")
CATEGORY_LIST = "บริการในหมวด{category}:\n{lines}\n\nกดเลือกเรื่อง หรือพิมพ์ชื่อเรื่องที่ต้องการได้เลยค่ะ"
CATEGORY_PICK = "แตะเรื่องที่ต้องการ จะแสดงขั้นตอนและเบอร์โทรให้ค่ะ"
CONTACT_ADDRESS = "📍"
CONTACT_PHONE = "📞"
CONTACT_HOURS = "🕗"
CONTACT_NOTE = "ถามผ่านแชตนี้ได้ตลอด เรื่องที่ระบบตอบไม่ได้จะส่งต่อเจ้าหน้าที่ค่ะ"
HOWTO = ("วิธีใช้ผู้ช่วย {office_short} ค่ะ\n"
         "1. แตะปุ่มสีด้านล่าง เลือกหมวด แล้วแตะเรื่องที่ต้องการ จะได้ขั้นตอน เบอร์โทร และลิงก์\n"
         "2. หรือพิมพ์ถามสั้น ๆ เช่น \"ต่อใบขับขี่\" (กดไมโครโฟนบนแป้นพิมพ์แล้วพูดแทนพิมพ์ก็ได้)\n"
         "3. แตะ \"คุยกับเจ้าหน้าที่\" ถ้าอยากให้คนตอบ\n"
         "4. ตัวหนังสือเล็กไป ปรับได้ที่ LINE: ตั้งค่า > แชท > ขนาดตัวอักษร\n"
         "โทร {phone} ในเวลาทำการได้เช่นกันค่ะ")
CONTACT = ("{office_name}\n📍 {address}\n📞 {phone}\n🕗 เวลาทำการ {hours}\n"
           "ถามผ่านแชตนี้ได้ตลอด เรื่องที่ระบบตอบไม่ได้จะส่งต่อเจ้าหน้าที่ค่ะ")

ESCALATED = ("ขอบคุณค่ะ ได้ส่งคำถามให้เจ้าหน้าที่แล้ว เลขเรื่อง #{ticket}\n{when}\n"
             "เจ้าหน้าที่จะตอบกลับในแชตนี้ หากเร่งด่วนโทร {phone} ค่ะ")
ESCALATED_FOLLOWUP = ("รับข้อความเพิ่มเติมแล้วค่ะ แนบไว้กับเรื่อง #{ticket} ให้เจ้าหน้าที่เรียบร้อย\n"
                      "หากเร่งด่วนโทร {phone} ค่ะ")
ESCALATED_HUMAN = ("ได้แจ้งเจ้าหน้าที่ให้แล้วค่ะ เลขเรื่อง #{ticket}\n{when}\n"
                   "พิมพ์รายละเอียดที่ต้องการสอบถามต่อได้เลย หรือโทร {phone} ค่ะ")
WHEN_OPEN = "ขณะนี้อยู่ในเวลาทำการ เจ้าหน้าที่จะตอบโดยเร็วค่ะ"
WHEN_CLOSED = "ขณะนี้นอกเวลาทำการ เจ้าหน้าที่จะเห็นข้อความ{next_open}ค่ะ"
NEXT_OPEN = "{day_name} ({day}) เวลา {time} น."
WEEKDAYS = ["วันจันทร์", "วันอังคาร", "วันพุธ", "วันพฤหัสบดี", "วันศุกร์", "วันเสาร์", "วันอาทิตย์"]

# Admin command line (`bot ...`): messages printed to the admin's terminal.
CLI_DECISION = "ผลการตัดสินใจ: {kind} — {reason}  [{ms:.1f} ms]"
CLI_KINDS = {"answer": "ตอบด้วยบริการ", "choose": "ให้เลือกจากบริการที่ใกล้เคียง", "escalate": "ส่งเจ้าหน้าที่",
             "intent": "ข้อความทั่วไป", "emergency": "เหตุฉุกเฉิน"}
CLI_GOES_TO_STAFF = "  → ส่งเจ้าหน้าที่ (เปิดเรื่อง #N และตอบชาวบ้านพร้อมเบอร์สำนักงาน)"
CLI_TOPIC = "; หัวข้อ: {topic}"
CLI_EMERGENCY = "  → 🚨 เหตุฉุกเฉิน ({name}): ข้อความแรกให้โทร {numbers} แล้วเปิดเรื่องด่วนให้เจ้าหน้าที่"
CLI_MATCHED = "คำที่จับได้: {terms}"
CLI_EVIDENCE = "น้ำหนัก (จำนวนตัวอักษรที่ตรง): {scores}"
CLI_RUNNER_UP = "อันดับสอง: {service}"
CLI_COVERAGE = "สัดส่วนของข้อความที่ตรงกับคำค้น: {coverage:.0%}"
CLI_REPLY = "คำตอบ: {text}"
CLI_READING = "อ่านข้อความเป็น: {reading}"
CLI_ENGLISH_READ = "คำภาษาอังกฤษอ่านเป็นคำไทย (english words read as Thai): {text}"
CLI_CATALOGUE_BROKEN = "catalogue.json มีปัญหา แก้ไขก่อนใช้งาน / catalogue.json has problems:\n{problems}"
CLI_CHECK_FAILED = "\nพบข้อผิดพลาด {errors} รายการ แก้ไขก่อนบันทึกใช้งาน / {errors} error(s)"
CLI_CHECK_OK = ("ผ่าน (OK) {path}: บริการ {services} รายการ, คำค้น {keywords}, ตัวอย่าง {examples}, "
                "หัวข้อส่งเจ้าหน้าที่ {topics}{warnings}")
CLI_CHECK_WARNINGS = ", คำเตือน {count} รายการ"
CLI_LINK_OK = "ใช้ได้"
CLI_LINK_MOVED = "ย้ายไปที่ {url} (แก้ลิงก์ใน catalogue.json)"
CLI_LINK_DEAD = "เสีย (HTTP {code})"
CLI_LINK_UNREACHABLE = "เปิดไม่ได้ ({reason})"
CLI_LINKS_SUMMARY = "ลิงก์เสียหรือเปิดไม่ได้ {dead} จาก {total} รายการ"
CLI_PROGRESS_LINKS = "ตรวจลิงก์"
CLI_PROGRESS_EVAL = "ลองถามทีละข้อ"
CLI_PROGRESS_TUNE = "ลองค่าเกณฑ์"
CLI_EVAL_SUMMARY = ("ตอบถูกบริการ (อันดับ 1) {in_scope:.1%} (n={n_in_scope}, อยู่ใน 3 อันดับแรก {top3:.1%}) | "
                    "ส่งเจ้าหน้าที่เมื่อควรส่ง {escalation:.1%} (n={n_escalation}) | ทักทายและติดต่อสำนักงาน "
                    "{talk:.1%} (n={n_talk}) | ตอบผิดอย่างมั่นใจ {wrong} | ตอบตรงโดยไม่ต้องให้เลือก {direct:.1%}\n"
                    "รวมถูก {overall:.1%} จาก {total} ข้อ")
CLI_EVAL_LATENCY = " | เวลาที่ใช้เข้าใจข้อความ (CPU) p50 {p50:.1f} ms, p95 {p95:.1f} ms"
CLI_TUNE_ROW = "{overall:.1%}  ตอบผิดอย่างมั่นใจ {wrong:3d}  ตอบตรง {direct:.1%}  {values}{mark}"
CLI_TUNE_CURRENT_MARK = "  <- ค่าปัจจุบัน"
CLI_TUNE_SUMMARY = ("ค่าปัจจุบัน: ถูก {overall:.1%}, ตอบผิดอย่างมั่นใจ {wrong}, ตอบตรง {direct:.1%} "
                    "(อันดับ {rank} จาก {total})")
CLI_NO_UNANSWERED = "ไม่มีคำถามที่ตอบไม่ได้ในช่วง {days} วันที่ผ่านมา"
CLI_UNANSWERED_ROW = "{count:3d}× {question}{similar}"
CLI_UNANSWERED_SIMILAR = "  (+ถามคล้ายกันอีก {count} แบบ)"
CLI_UNANSWERED_DETAIL = "      ใกล้เคียงบริการ: {closest} · ชาวบ้านเลือก: {chosen}\n      คำแนะนำ: {suggestion}"
CLI_UNANSWERED_CSV_HEADER = ["จำนวน", "คำถาม", "ถามแบบอื่น", "บริการที่ใกล้เคียง", "ชาวบ้านเลือก", "คำแนะนำ"]
SUGGEST_ADD_EXAMPLE = 'ใส่ในบริการ id={service} ({name}) ช่อง "examples": {question}'
SUGGEST_NOT_THIS = ('บอทตอบบริการ id={service} ({name}) แล้วชาวบ้านกด "ไม่ใช่": ใส่ในบริการนั้นช่อง '
                    '"not_this" (หรือใส่เป็น "examples" ของบริการที่ถูก) — {question}')
CLI_UNANSWERED_REJECTED = " · ชาวบ้านบอกว่าไม่ใช่: {service}"
SUGGEST_ESCALATION_TOPIC = ('ไม่ใช่บริการใน catalogue: ถ้าเจ้าหน้าที่ตอบบ่อย ใส่คำในหัวข้อ "escalation_topics" '
                            '(หรือเพิ่มบริการใหม่) — {question}')
CLI_RICHMENU_PREVIEW = "บันทึกภาพเมนูที่ {out} แล้ว: {width}x{height} {type} ขนาด {size:,} ไบต์ ปุ่ม: {tiles}"
CLI_RICHMENU_DEPLOYED = ("ขึ้นเมนู {menu_id} เป็นเมนูหลักแล้ว (ภาพ {size:,} ไบต์ {type}; ปุ่ม: {tiles}) "
                         "ลบเมนูเก่าที่คำสั่งนี้เคยสร้าง {replaced} เมนู")
CLI_RICHMENU_REMOVED = "เอาเมนูหลักออกแล้ว ลบเมนูที่คำสั่งนี้เคยสร้าง {count} เมนู"
CLI_RICHMENU_NO_TOKEN = "ยังไม่ได้ตั้งค่า LINE_CHANNEL_ACCESS_TOKEN (โทเคนของช่อง LINE) / set LINE_CHANNEL_ACCESS_TOKEN first"
CLI_RICHMENU_PROBLEM = "สร้างเมนูไม่ได้: {problem}"
CLI_RICHMENU_LINE_REFUSED = "LINE ไม่รับคำสั่ง (เมนูเดิมยังใช้อยู่): {error}"
RICHMENU_NO_FONT = ("ไม่พบฟอนต์ภาษาไทย Sarabun (แพ็กเกจ fontpkg-sarabun): สั่ง `make setup` หรือ "
                    "`.venv/bin/pip install -r requirements.txt` / no Thai font: the Sarabun font package is missing")
RICHMENU_NO_SHAPING = ("Pillow จัดวางสระและวรรณยุกต์ภาษาไทยไม่ได้ในเครื่องนี้ (ไม่มี libraqm/libfribidi): "
                       "สั่ง `apt-get install libfribidi0`")
RICHMENU_MISSING_GLYPHS = "ฟอนต์ {font} ไม่มีตัวอักษร {chars!r} (อยู่ในปุ่ม: {labels}) จะกลายเป็นกล่องสี่เหลี่ยม"
RICHMENU_TOO_LONG = ("\"{label}\" ยาวเกินกว่าจะวางบนปุ่มได้สองบรรทัดที่ตัวอักษร {px} px: "
                     "ย่อชื่อให้สั้นลง (short_name ของหมวดใน catalogue.json)")
RICHMENU_TOO_MANY = "มี {count} หมวด แต่เมนูมีที่ได้ {max} หมวด: รวมบางหมวดใน catalogue.json"
RICHMENU_BAD_LABEL = "ชื่อปุ่ม \"{label}\" ต้องยาว 1-{max} ตัวอักษร"
RICHMENU_LOW_CONTRAST = "ปุ่ม \"{label}\": สีพื้น {colour} อ่อนเกินไปสำหรับตัวหนังสือสีขาว"
RICHMENU_TOO_BIG = "ภาพเมนูขนาด {size:,} ไบต์ LINE รับได้ไม่เกิน {max:,} ไบต์"
CLI_PURGE_TOO_SHORT = ("ไม่ลบ: --days {days} น้อยกว่า {minimum} วัน ข้อความที่เจ้าหน้าที่อาจยังต้องใช้จะหายไป "
                       "ถ้าตั้งใจจริง เพิ่ม --force (ลองดูก่อนด้วย --dry-run)")
CLI_PURGE_NEGATIVE = "--days ต้องเป็น 0 ขึ้นไป"
CLI_PURGE_LABELS = {"ticket messages": "ข้อความในเรื่องที่ปิดแล้ว", "media and locations": "รูป เสียง วิดีโอ ไฟล์ และตำแหน่ง",
                    "inquiries": "คำถามที่บันทึกไว้",
                    "webhook events": "เหตุการณ์จาก LINE ที่ทำเสร็จแล้ว", "sent messages": "ข้อความที่ส่งออกไปแล้ว"}
CLI_PURGE_DRY_RUN = "ทดลอง (ยังไม่ลบ): ข้อมูลก่อน {cutoff} ที่จะลบเมื่อสั่งจริง: {counts}"
CLI_PURGE_DONE = "ลบข้อมูลก่อน {cutoff} แล้ว: {counts}"
CLI_PURGE_OPEN_KEPT = "เรื่องที่ยังเปิดอยู่ {count} เรื่อง ไม่ถูกแตะ (ข้อความยังอยู่ครบ)"
CLI_PASSWORD = "รหัสผ่าน: "
CLI_PASSWORD_AGAIN = "พิมพ์รหัสผ่านอีกครั้ง: "
CLI_PASSWORDS_DIFFER = "รหัสผ่านสองครั้งไม่ตรงกัน / the two passwords differ"
CLI_USERS_NEED_NAME = "ต้องใส่ชื่อบัญชี: bot users {action} ชื่อบัญชี"
CLI_USER_ROW = "{name}\t{role}\tตั้งแต่ {since:%Y-%m-%d}"
CLI_USERS_DONE = {"add": "เพิ่มบัญชี {name} แล้ว", "passwd": "เปลี่ยนรหัสผ่านของ {name} แล้ว (ต้องลงชื่อเข้าใช้ใหม่)",
                  "remove": "ลบบัญชี {name} แล้ว"}
CLI_ERROR = "ผิดพลาด: {error}"
CLI_REPORT_BAD_OUT = "ผิดพลาด: --out ต้องลงท้ายด้วย .csv หรือ .xlsx"
CLI_REPORT_BAD_MONTH = "ผิดพลาด: --month ต้องเป็น ปี ค.ศ.-เดือน เช่น 2026-11 (ได้ {value!r})"
CLI_REPORT_STEPS = ("นับสถิติ", "เขียนไฟล์")
CLI_REPORT_DONE = ("บันทึก {out} แล้ว: เดือน {year}-{month:02d} ผู้ใช้บริการ {villagers} คน "
                   "บอทตอบเอง {by_bot} เรื่อง เจ้าหน้าที่ดูแล {by_staff} เรื่อง")

CHOOSE_INTRO = "เรื่องที่ถามตรงกับบริการไหนคะ เลื่อนดูแล้วกดเลือกได้เลย"
CHOOSE_NONE_TITLE = "ไม่ใช่เรื่องเหล่านี้"
CHOOSE_NONE_TEXT = "ส่งคำถามให้เจ้าหน้าที่ตอบแทนได้ค่ะ"
ALT_CHOOSE = "เรื่องที่ถามอาจเป็น: {names} (เลือกได้ในแชต)"

STEPS_TITLE = "ขั้นตอน"
AGENCY_LABEL = "หน่วยงาน: {agency}"
BUTTON_CALL = "📞 โทร {phone}"
BUTTON_WEBSITE = "🌐 เปิดเว็บไซต์"
BUTTON_ASK_STAFF = "💬 ถามเจ้าหน้าที่"
BUTTON_CHOOSE = "✅ เรื่องนี้"
BUTTON_NONE = "💬 ไม่ใช่ ถามเจ้าหน้าที่"
ASK_STAFF_DISPLAY = "ขอคุยกับเจ้าหน้าที่"
ALT_SERVICE = "{name}: {steps} โทร {phones} เว็บไซต์ {url}"

NON_TEXT = {
    "sticker": "ขอบคุณสำหรับสติกเกอร์ค่ะ 😊 ถ้ามีเรื่องสอบถาม พิมพ์เป็นข้อความได้เลยนะคะ",
    "other": "ขออภัยค่ะ ระบบอ่านได้เฉพาะข้อความ รบกวนพิมพ์เรื่องที่ต้องการนะคะ",
}
# Photos, voice messages, videos, files and locations go to staff with the villager's ticket.
MEDIA_NAME = {"image": "รูปภาพ", "video": "วิดีโอ", "audio": "ข้อความเสียง", "file": "ไฟล์", "location": "ตำแหน่ง"}
MEDIA_RECEIVED = ("ได้รับ{what}แล้วค่ะ ส่งให้เจ้าหน้าที่ดูแล้ว เลขเรื่อง #{ticket}\n{when}\n"
                  "พิมพ์เล่ารายละเอียดเพิ่มได้เลย หากเร่งด่วนโทร {phone} ค่ะ")
MEDIA_FOLLOWUP = "ได้รับ{what}แล้วค่ะ แนบไว้กับเรื่อง #{ticket} ให้เจ้าหน้าที่ดูแล้ว"
LOCATION_RECEIVED = ("ได้รับตำแหน่งแล้วค่ะ เปิดเรื่อง #{ticket} ให้เจ้าหน้าที่แล้ว\n"
                     "ตำแหน่งนี้เกี่ยวกับเรื่องอะไรคะ พิมพ์เล่าให้ฟังได้เลย (เช่น ถนนพัง ไฟทางดับ)\n{when}")
# a ticket's line for each kind, as staff read it (a location's carries its coordinates and map)
MEDIA_LINE = {
    "image": "📷 รูปภาพ",
    "video": "🎬 วิดีโอ ({seconds} วินาที)",
    "audio": "🎤 ข้อความเสียง ({seconds} วินาที)",
    "file": "📎 ไฟล์ {name}",
    "location": "📍 ตำแหน่ง {place}\nแผนที่: {map}",
}
MEDIA_BUTTON = {"image": "📷 ดูรูป", "video": "🎬 ดูวิดีโอ", "audio": "🎤 ฟังเสียง", "file": "📎 เปิดไฟล์",
                "location": "📍 เปิดแผนที่"}
MEDIA_NOTE = {
    "pending": "(กำลังดึงไฟล์จาก LINE ลิงก์จะเปิดได้ในไม่กี่วินาที)",
    "too_large": "(ไฟล์ใหญ่เกินกว่าที่ระบบเก็บได้ ขอให้ผู้ส่งนำมาที่ อบต. หรือส่งทางอื่น)",
    "gone": "(LINE ไม่มีไฟล์นี้แล้ว ขอให้ผู้ส่งส่งใหม่)",
    "failed": "(ดึงไฟล์จาก LINE ไม่สำเร็จ ขอให้ผู้ส่งส่งใหม่)",
}
MEDIA_NO_PUBLIC_URL = "(ยังตั้งค่า PUBLIC_URL ไม่ได้ จึงเปิดไฟล์จากลิงก์ไม่ได้ แจ้งผู้ดูแลระบบ)"
MEDIA_LIST = "ไฟล์และตำแหน่งในเรื่อง #{ticket} ({count} รายการ ลิงก์ใช้ได้ {days} วัน):\n{lines}"
MEDIA_LINK_INVALID = "ลิงก์นี้ไม่ถูกต้องหรือหมดอายุแล้ว พิมพ์ #เลขเรื่อง ในกลุ่มเจ้าหน้าที่เพื่อขอลิงก์ใหม่"
MEDIA_LINK_GONE = "ไม่มีไฟล์นี้แล้ว"
MEDIA_LINK_PENDING = "กำลังดึงไฟล์จาก LINE ลองใหม่ในไม่กี่วินาที"
EMPTY = "พิมพ์เรื่องที่ต้องการสอบถามได้เลยค่ะ เช่น \"ต่อใบขับขี่\""
GROUP_HINT = "สอบถามเรื่องที่ต้องให้เจ้าหน้าที่ตอบ ทักแชตส่วนตัวกับบัญชีนี้ได้เลยค่ะ"

# Rich menu (tiles under the chat); labels are drawn on the tiles and read aloud (<= 20 characters)
RICHMENU_CHAT_BAR = "เมนูบริการ"     # <= 14 characters
TILE_CONTACT = "ติดต่อ อบต."
TILE_STAFF = "คุยกับเจ้าหน้าที่"
TILE_HOWTO = "วิธีใช้"

QUICK_MENU = "ดูบริการทั้งหมด"
QUICK_CONTACT = "ติดต่อ อบต."
QUICK_STAFF = "คุยกับเจ้าหน้าที่"

# Staff group
STAFF_NOTICE_TITLE = "เรื่องใหม่ #{ticket}"
STAFF_NOTICE_FOLLOWUP_TITLE = "ข้อความเพิ่ม #{ticket}"
STAFF_NOTICE_ALT = "#{ticket} {name}: {question}"
STAFF_NOTICE_FROM = "จาก: {name}"
STAFF_NOTICE_AT = "เวลา: {at}"
STAFF_NOTICE_TOPIC = "หมวด: {topic}"
STAFF_NOTICE_CANDIDATES = "บริการที่ใกล้เคียง: {names}"
STAFF_NOTICE_MORE_ITEMS = "ไฟล์และตำแหน่งทั้งหมด {count} รายการ: พิมพ์ #เลขเรื่อง เพื่อดูทุกรายการ"
STAFF_NOTICE_HOWTO = "ตอบโดยพิมพ์ #{ticket} ตามด้วยคำตอบ หรือกดตอบกลับ (reply) ข้อความนี้"
STAFF_BUTTON_TAKE = "รับเรื่อง"
STAFF_BUTTON_CLOSE = "ปิดเรื่อง"
STAFF_BUTTON_ANSWER_WITH = "ตอบด้วย: {name}"
UNKNOWN_NAME = "ผู้ใช้ LINE"

STAFF_ANSWER_TO_VILLAGER = "คำตอบจากเจ้าหน้าที่ (เรื่อง #{ticket}):\n{answer}"
STAFF_ANSWER_SENT = "ส่งคำตอบเรื่อง #{ticket} ให้ {name} แล้วค่ะ"
STAFF_UNKNOWN_TICKET = "ไม่พบเรื่อง #{ticket} ค่ะ"
STAFF_CLOSED_TICKET = "เรื่อง #{ticket} ปิดไปแล้วค่ะ (ถ้าผู้ถามถามใหม่จะเปิดเรื่องใหม่ให้)"
STAFF_TAKEN = "{staff} รับเรื่อง #{ticket} แล้วค่ะ"
STAFF_CLOSED = "ปิดเรื่อง #{ticket} แล้วค่ะ"
STAFF_TICKET_SUMMARY = "เรื่อง #{ticket} ({status}{taken}) จาก {name} เมื่อ {at}\n{lines}"
STAFF_NO_OPEN = "ไม่มีเรื่องค้างค่ะ 🎉"
STAFF_OPEN_LIST = "เรื่องที่ยังเปิดอยู่ {count} เรื่อง:\n{lines}"
STAFF_QUOTA_WARNING = "⚠️ ใช้โควตาข้อความ push ของเดือนนี้ไปแล้ว {used}/{limit} ({pct}%) ระบบจะประหยัดการแจ้งเตือนค่ะ"
STAFF_CATALOGUE_ERROR = "⚠️ catalogue.json ที่แก้ไขล่าสุดมีปัญหา ระบบยังใช้ฉบับเดิมอยู่: {problems}"
STAFF_OFFICE_DAYS_MISSING = ("📅 ยังไม่มีวันหยุดเฉพาะของสำนักงานสำหรับปี พ.ศ. {year} ใน catalogue.json "
                             "(วันหยุดพิเศษตามมติ ครม. วันปิดสำนักงาน) ผู้ดูแลข้อมูลเพิ่มใน office.holidays เมื่อประกาศแล้วนะคะ")
STAFF_ANSWERED_WITH_SERVICE = "ส่งข้อมูลบริการ \"{name}\" ให้ผู้ถามเรื่อง #{ticket} แล้วค่ะ"
STAFF_HELP = ("กลุ่มนี้รับเรื่องที่ผู้ช่วย LINE ตอบไม่ได้ค่ะ\n"
              "• ตอบ: พิมพ์ #เลขเรื่อง ตามด้วยคำตอบ เช่น #12 พรุ่งนี้เข้าไปดูให้ค่ะ หรือกดตอบกลับ (reply) การ์ดแจ้งเรื่อง\n"
              "• ดูเรื่อง: #12\n• เรื่องค้าง: พิมพ์ เรื่องค้าง\n• รับ/ปิดเรื่อง: กดปุ่มบนการ์ด หรือพิมพ์ รับ #12 / ปิด #12")
STATUS_OPEN = "เปิด"
STATUS_CLOSED = "ปิดแล้ว"
TAKEN_BY = ", {staff} รับเรื่อง"

VILLAGER_TICKET_CLOSED = "เจ้าหน้าที่ปิดเรื่อง #{ticket} แล้วค่ะ หากมีคำถามใหม่ พิมพ์มาได้ตลอดนะคะ"
VILLAGER_DONE = "ขอบคุณค่ะ ปิดเรื่อง #{ticket} ให้แล้ว มีอะไรสอบถามพิมพ์มาได้ตลอดนะคะ"

# "Did this help?" under a service card that answered a question
FEEDBACK_QUESTION = "ใช่เรื่องนี้ไหมคะ"
FEEDBACK_YES = "ใช่"
FEEDBACK_NO = "ไม่ใช่"
FEEDBACK_YES_SHOWN = "ใช่ เรื่องนี้แหละ"
FEEDBACK_NO_SHOWN = "ไม่ใช่เรื่องนี้"
FEEDBACK_THANKS = "ดีใจที่ช่วยได้ค่ะ 😊 มีเรื่องอื่นพิมพ์ถามหรือแตะเมนูด้านล่างได้เลยนะคะ"
FEEDBACK_NO_RUNNER_UP = "ขออภัยค่ะ 🙏 อาจเป็นเรื่องใดเรื่องหนึ่งเหล่านี้ไหมคะ ถ้าไม่ใช่ กดถามเจ้าหน้าที่ได้เลยค่ะ"
FEEDBACK_NO_CATEGORY = "ขออภัยค่ะ 🙏 ลองดูเรื่องอื่นในหมวดเดียวกันด้านล่าง หรือกดถามเจ้าหน้าที่ได้เลยค่ะ"

# Satisfaction, asked once when a ticket is closed (the office's ITA survey item)
RATE_QUESTION = "ช่วยให้คะแนนการช่วยเหลือครั้งนี้หน่อยนะคะ แตะปุ่มด้านล่างได้เลยค่ะ"
RATE_CHOICES = [(5, "ดีมาก"), (4, "ดี"), (3, "พอใช้"), (2, "ไม่ค่อยดี"), (1, "ต้องปรับปรุง")]
RATE_THANKS = "ขอบคุณที่ให้คะแนนค่ะ 🙏 ความเห็นนี้ช่วยให้เราปรับปรุงบริการค่ะ"
RATE_ALREADY = "ได้รับคะแนนเรื่อง #{ticket} ไว้แล้วค่ะ ขอบคุณค่ะ 🙏"

TRY_WOULD_ESCALATE = "(หน้าทดลอง: ข้อความนี้จะถูกส่งต่อเจ้าหน้าที่ในกลุ่ม LINE แต่หน้าทดลองไม่ส่งจริงและไม่เปิดเรื่อง)"

# Web console (flash messages and errors; page labels live in bot/console/templates)
MONTHS_TH = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
             "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
CONSOLE_LOGIN_FAILED = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"
CONSOLE_LOGIN_THROTTLED = "ลงชื่อเข้าใช้ผิดหลายครั้งเกินไป กรุณารอสักครู่แล้วลองใหม่"
CONSOLE_SIGNED_OUT = "ออกจากระบบแล้ว"
CONSOLE_ADMIN_ONLY = "หน้านี้สำหรับผู้ดูแลระบบ (admin) เท่านั้น"
CONSOLE_CSRF = "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง"
CONSOLE_ANSWER_EMPTY = "พิมพ์คำตอบก่อนกดส่ง"
CONSOLE_ANSWER_TOO_LONG = "คำตอบยาวเกิน {limit} ตัวอักษร (ข้อจำกัดของ LINE)"
CONSOLE_NO_GROUP = "(ยังไม่ได้ตั้งค่ากลุ่ม LINE เจ้าหน้าที่ จึงไม่มีการแจ้งในกลุ่ม)"
CONSOLE_SAVED = "บันทึกแล้ว บอทจะใช้ข้อมูลใหม่ภายในไม่กี่วินาที"
CONSOLE_SAVE_REFUSED = "ยังไม่ได้บันทึก: มีข้อผิดพลาด {count} รายการ (ดูข้อความสีแดงข้างช่อง)"
CONSOLE_CONFLICT = ("ยังไม่ได้บันทึก: {who} บันทึกข้อมูลส่วนนี้ไปเมื่อ {when} ระหว่างที่คุณกำลังแก้ "
                    "ข้อความที่คุณพิมพ์ยังอยู่ในแบบฟอร์ม ตรวจค่าล่าสุดแล้วบันทึกอีกครั้ง")
CONSOLE_SOMEONE = "ผู้ดูแลอีกคน"
CONSOLE_RESTORED = "คืนค่าเป็นฉบับที่ {version} แล้ว"
CONSOLE_WARNINGS = "คำเตือน (บันทึกแล้ว): {problems}"
CONSOLE_LEARNED = "เพิ่ม \"{text}\" เป็น{kind}ของบริการ \"{service}\" แล้ว"
CONSOLE_LEARN_REFUSED = "ยังไม่ได้เพิ่ม: {problems}"
CONSOLE_KIND = {"keywords": "คำค้น", "examples": "ตัวอย่างคำถาม", "not_this": "คำที่ไม่ใช่เรื่องนี้"}
CONSOLE_BAD_HOLIDAY = "บรรทัด \"{line}\": ใช้รูปแบบ ปปปป-ดด-วว ชื่อวันหยุด เช่น 2027-01-01 วันขึ้นปีใหม่"
CONSOLE_BAD_TIME = "เวลาใช้รูปแบบ ชช:นน เช่น 08:30"
CONSOLE_NO_WEEKDAY = "เลือกวันทำการอย่างน้อยหนึ่งวัน"
CONSOLE_BAD_PERIOD = "ช่วงวันที่ไม่ถูกต้อง ใช้ค่าเริ่มต้น 30 วันล่าสุดแทน"
CONSOLE_BAD_MONTH = "เดือนใช้รูปแบบ ปปปป-ดด เช่น 2026-11"
CONSOLE_NOT_YOURSELF = "ลบบัญชีของตัวเองไม่ได้ (ให้ผู้ดูแลคนอื่นลบ)"
CONSOLE_ACCOUNT_REFUSED = "ยังไม่ได้ทำ: {reason}"
CONSOLE_ACCOUNT_DONE = {"add": "เพิ่มบัญชี {name} แล้ว", "passwd": "ตั้งรหัสผ่านใหม่ให้ {name} แล้ว (ต้องลงชื่อเข้าใช้ใหม่)",
                        "remove": "ลบบัญชี {name} แล้ว"}

# Someone in danger: the first message is the hotline, readable in one glance, day or night.
EMERGENCY_TOPIC_NAME = "🚨 เหตุฉุกเฉิน"
EMERGENCY_HEADLINE = "🚨 โทร {number} ทันที"
EMERGENCY_SENTENCE = "เหตุฉุกเฉิน โทร {number} {label} ได้ทันที ฟรี ตลอด 24 ชั่วโมงค่ะ"
EMERGENCY_CALL = "📞 โทร {number} {label}"
EMERGENCY_TICKET = ("แจ้งเจ้าหน้าที่ อบต. ให้ด้วยแล้ว เรื่อง #{ticket} แต่อย่ารอนะคะ โทรสายด่วนก่อน "
                    "ถ้าปลอดภัยแล้ว พิมพ์บอกตำแหน่งหรือส่งตำแหน่ง (location) มาได้ค่ะ")
STAFF_EMERGENCY_TITLE = "🚨 ด่วน เหตุฉุกเฉิน #{ticket}"
STAFF_EMERGENCY_NOTE = "🚨 {kind}: บอทให้ผู้แจ้งโทร {numbers} แล้ว โปรดติดต่อกลับหรือประสานหน่วยเหตุโดยเร็ว"
