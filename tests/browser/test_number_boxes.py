"""Browser: a value typed out of range into a real number box is refused with a message naming the range.

Issue 13: Streamlit's own bounded boxes refused such a value with a generic note (or an integer box read
"1e5" as 1). The boxes now take what is typed; the app refuses it, names the setting and the range, and
puts the last good value back. Typed with the keyboard and submitted with Enter, as a learner would.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

SLOW = 120_000  # ms: the machine may be shared; a training run and its rerun can take a while
STREAMLIT_NOTE = "Number is"  # the start of Streamlit's own range notes ("Number is outside the allowed range")


def type_into(page: object, key: str, text: str) -> object:
    """Replace the text of the number box ``key`` with ``text`` using the keyboard, and press Enter."""
    box = page.locator(f".st-key-{key} input")  # type: ignore[attr-defined]
    box.click()
    box.press("Control+a")
    box.press_sequentially(text)
    box.press("Enter")
    return box


def open_training(page: object, open_app: Callable[..., object], wait_idle: Callable[..., None]) -> None:
    page.set_default_timeout(SLOW)  # type: ignore[attr-defined]
    open_app(page)
    page.locator("[data-testid=stSidebarNav] a", has_text="Training").click()  # type: ignore[attr-defined]
    wait_idle(page, timeout=SLOW)
    page.get_by_role("heading", name="Training").first.wait_for()  # type: ignore[attr-defined]


def test_the_training_form_refuses_50000_epochs_and_keeps_the_last_good(
    page: object, open_app: Callable[..., object], wait_idle: Callable[..., None], assert_healthy: Callable
) -> None:
    open_training(page, open_app, wait_idle)
    form = page.locator("[data-testid=stForm]").filter(has_text="Epochs")
    type_into(page, "train_restarts", "2")
    type_into(page, "train_epochs", "3")  # Enter submits the form: a quick run of 2 x 3
    wait_idle(page, timeout=SLOW)
    expect(page.get_by_text("2 restarts x 32 points x 3 epochs")).to_be_visible()

    box = type_into(page, "train_epochs", "50000")
    wait_idle(page, timeout=SLOW)
    epochs = form.locator("[data-testid=stAlert]").filter(has_text="Epochs")
    expect(epochs).to_contain_text(
        "Epochs must be between 1 and 20,000; you typed 50,000. The last good value, 3, is kept.", timeout=SLOW
    )
    expect(box).to_have_value("50000")  # what was typed stays in view, beside the reason
    expect(page.get_by_text("2 restarts x 32 points x 3 epochs")).to_be_visible()  # the run used 3
    expect(form.get_by_text(STREAMLIT_NOTE)).to_have_count(0)

    box = type_into(page, "train_restarts", "1e5")  # read whole (an integer box read it as 1), then refused
    wait_idle(page, timeout=SLOW)
    expect(form.locator("[data-testid=stAlert]").filter(has_text="Restarts")).to_contain_text(
        "Restarts must be between 1 and 1,000; you typed 100,000. The last good value, 2, is kept.", timeout=SLOW
    )
    expect(epochs).to_be_visible()  # still refused: the box still holds 50,000
    expect(page.get_by_text("2 restarts x 32 points x 3 epochs")).to_be_visible()

    type_into(page, "train_epochs", "4")
    type_into(page, "train_restarts", "3")
    wait_idle(page, timeout=SLOW)
    expect(page.get_by_text("3 restarts x 32 points x 4 epochs")).to_be_visible()
    expect(form.locator("[data-testid=stAlert]")).to_have_count(0)
    assert_healthy(page)


def test_the_forward_x_box_refuses_two_million(
    page: object, open_app: Callable[..., object], wait_idle: Callable[..., None], assert_healthy: Callable
) -> None:
    open_app(page)
    page.locator("[data-testid=stSidebarNav]").get_by_text("Forward pass", exact=True).click()  # type: ignore[attr-defined]
    wait_idle(page)
    box = type_into(page, "fwd_xn_0", "1.25")
    wait_idle(page)
    expect(page.locator(".st-key-fwd_xs_0 input[type=range]")).to_have_value("1.25")

    box = type_into(page, "fwd_xn_0", "2000000")
    wait_idle(page)
    alert = page.locator("[data-testid=stMain] [data-testid=stAlert]").filter(has_text="x at input neuron 1")
    expect(alert).to_contain_text(
        "x at input neuron 1 must be between -1,000,000 and 1,000,000; you typed 2,000,000. "
        "The last good value, 1.25, is kept."
    )
    expect(box).to_have_value("2000000")  # what was typed stays in view, beside the reason
    expect(page.locator(".st-key-fwd_xs_0 input[type=range]")).to_have_value("1.25")
    expect(page.locator(".nnv-live .nnv-neuron[data-id='1']")).to_contain_text("1.25")  # the pass uses x = 1.25
    expect(page.get_by_text(STREAMLIT_NOTE)).to_have_count(0)
    page.locator(".st-key-fwd_xs_0 input[type=range]").focus()
    page.keyboard.press("ArrowRight")  # the slider puts a good value into the box
    wait_idle(page)
    expect(box).to_have_value("1.26")
    expect(alert).to_have_count(0)
    assert_healthy(page)
