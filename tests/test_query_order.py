"""The orders the stores' query side sorts by, against the definitions in zhize.graph.semantics."""
from __future__ import annotations

from hypothesis import given, strategies as st

from zhize.graph.queries import newest_last_key
from zhize.graph.semantics import newest_first


@given(st.lists(st.one_of(st.none(), st.just(""), st.text("0123456789-", max_size=10)), unique=True))
def test_the_descending_date_key_orders_as_newest_first(dates):
    """Sorted in reverse by newest_last_key (one stable pass, no tuple a character) as newest_first sorts."""
    got = sorted(dates, key=newest_last_key, reverse=True)
    assert [newest_first(d) for d in got] == sorted(newest_first(d) for d in dates)
