from bot.privacy import mask_for_log, mask_national_ids


def test_national_ids_are_masked_with_or_without_dashes():
    for text in ["1-2345-67890-12-3", "1234567890123", "1 2345 67890 12 3"]:
        masked = mask_national_ids(f"บัตร {text} ค่ะ")
        assert "67890" not in masked and "x-xxxx" in masked


def test_shorter_numbers_are_left_alone():
    assert mask_national_ids("บ้านเลขที่ 123/4 หมู่ 5") == "บ้านเลขที่ 123/4 หมู่ 5"


def test_logs_mask_phones_too():
    assert "081" not in mask_for_log("โทร 081-234-5678 หรือ 0812345678")


def test_log_lines_are_masked(caplog):
    import logging

    from bot.privacy import MaskingFilter
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed for %s", ("1234567890123 โทร 0812345678",), None)
    MaskingFilter().filter(record)
    assert "1234567890123" not in record.getMessage() and "0812345678" not in record.getMessage()


def test_line_ids_in_logs_stay_readable():
    # Real-looking ids whose hex digits contain a phone-like or ID-like run of digits.
    group = "C0812345678" + "a" * 21
    user = "U1234567890123" + "f" * 18
    line = mask_for_log(f"joined chat {group} (set STAFF_GROUP_ID to it); user {user}")
    assert group in line and user in line
    # The same numbers standing alone (Thai text around them) are still masked.
    masked = mask_for_log("โทร0812345678ค่ะ บัตร 1234567890123 นะ")
    assert "0812345678" not in masked and "1234567890123" not in masked


def test_the_join_log_line_names_the_staff_group_id():
    import logging

    from bot.privacy import MaskingFilter
    group = "C" + "0812345678" * 3 + "ab"
    record = logging.LogRecord("bot.conversation", logging.INFO, __file__, 1,
                               "joined chat %s (set STAFF_GROUP_ID to it if this is the staff group)", (group,), None)
    MaskingFilter().filter(record)
    assert f"joined chat {group} " in record.getMessage()
