from kit.bus.topics import topic_matches


def test_star_matches_one_word() -> None:
    assert topic_matches("journal.mark.recorded.*", "journal.mark.recorded.s42")
    assert not topic_matches("journal.mark.recorded.*", "journal.mark.recorded")
    assert not topic_matches("journal.mark.*", "journal.mark.recorded.s42")


def test_hash_matches_zero_or_more_words() -> None:
    assert topic_matches("journal.mark.#", "journal.mark.recorded.s42")
    assert topic_matches("journal.#", "journal")
    assert topic_matches("#", "anything.at.all")
    assert topic_matches("#.s42", "journal.mark.recorded.s42")
    assert not topic_matches("identity.#", "journal.mark.recorded.s42")


def test_exact_words_must_match() -> None:
    assert topic_matches("a.b", "a.b")
    assert not topic_matches("a.b", "a.c")
