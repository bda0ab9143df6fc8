"""Training-data augmentation keeps entity annotations aligned."""

from bot.augment import augment_text, fold_example


def test_folded_twin_is_added_after_each_accented_example() -> None:
    text = "nlu:\n- intent: greet\n  examples: |\n    - chào bạn\n    - hi\n"
    out, added = augment_text(text)
    assert added == 1
    assert "    - chào bạn\n    - chao ban\n    - hi" in out


def test_entity_markup_is_kept() -> None:
    line = 'hỏi về [dịch vụ công]{"entity": "topic", "value": "public_services"}'
    assert (
        fold_example(line) == 'hoi ve [dich vu cong]{"entity": "topic", "value": "public_services"}'
    )


def test_existing_twins_are_not_duplicated() -> None:
    text = "nlu:\n- intent: greet\n  examples: |\n    - chào\n    - chao\n"
    assert augment_text(text)[1] == 0


def test_strip_markup_keeps_only_the_visible_text() -> None:
    from bot.augment import strip_markup

    line = 'hỏi về [dịch vụ công]{"entity": "topic", "value": "public_services"} và [HN](province)'
    assert strip_markup(line) == "hỏi về dịch vụ công và HN"
