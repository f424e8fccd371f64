"""Play / pause / step / speed / reset controls for an animation, shared by the pass pages.

:func:`animate` draws one row of controls and, under it, whatever ``render``
draws for the current frame. Both live in one ``st.fragment``: a click on a
step button reruns only the fragment (the rest of the page stays), so one
step answers in a fraction of a second. Playing is the same fragment with
``run_every`` set: each tick advances one frame; at the last frame playing
stops. ``run_every`` is fixed when the fragment is declared in a full run,
so starting, pausing or changing speed asks for one full rerun.

A tick and a click are told apart with two flags in session state: a full run
sets ``fresh`` before declaring the fragment and a button callback sets
``clicked``; a fragment run that finds neither was started by the timer.
(AppTest never fires ``run_every``; the tests drive the buttons.)
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from nnviz.app import settings
from nnviz.ui.state import StepperKeys

#: Seconds per frame offered by the speed control, slowest first.
SPEEDS: tuple[float, ...] = settings.SPEEDS
DEFAULT_SPEED = settings.get("fwd_speed").default


def init(keys: StepperKeys) -> None:
    """Give the animation's keys their defaults (idempotent)."""
    ss = st.session_state
    ss.setdefault(keys.step, 0)
    ss.setdefault(keys.playing, False)
    if ss.get(keys.speed) not in SPEEDS:
        ss[keys.speed] = DEFAULT_SPEED


def current_step(keys: StepperKeys) -> int:
    """The frame the animation shows."""
    init(keys)
    return int(st.session_state[keys.step])


def set_step(keys: StepperKeys, step: int) -> None:
    """Jump to frame ``step`` and pause (e.g. from a test or a scene)."""
    init(keys)
    st.session_state[keys.step] = max(0, int(step))
    st.session_state[keys.playing] = False


def _on_click(keys: StepperKeys, action: str, n_frames: int) -> None:
    ss = st.session_state
    ss[keys.clicked] = True
    step = int(ss[keys.step])
    if action == "reset":
        ss[keys.step], ss[keys.playing] = 0, False
    elif action == "back":
        ss[keys.step], ss[keys.playing] = max(step - 1, 0), False
    elif action == "next":
        ss[keys.step], ss[keys.playing] = min(step + 1, n_frames - 1), False
    elif action == "end":
        ss[keys.step], ss[keys.playing] = n_frames - 1, False
    elif action == "play":
        if ss[keys.playing]:
            ss[keys.playing] = False
        else:
            if step >= n_frames - 1:
                ss[keys.step] = 0
            ss[keys.playing] = True


def _on_speed(keys: StepperKeys) -> None:
    st.session_state[keys.clicked] = True


def _controls(keys: StepperKeys, n_frames: int) -> None:
    ss = st.session_state
    step, playing = int(ss[keys.step]), bool(ss[keys.playing])
    # Back and Next are wider: they also show their arrow-key shortcut.
    cols = st.columns([1.3, 1.4, 1.2, 1.4, 1.1, 1.45, 1.15], gap="small", vertical_alignment="center")
    buttons = (
        ("reset", "Reset", ":material/first_page:", step == 0 and not playing, None, "secondary"),
        ("back", "Back", ":material/chevron_left:", step == 0, "left", "secondary"),
        (
            "play",
            "Pause" if playing else "Play",
            ":material/pause:" if playing else ":material/play_arrow:",
            False,
            None,
            "primary",
        ),
        ("next", "Next", ":material/chevron_right:", step >= n_frames - 1, "right", "secondary"),
        ("end", "End", ":material/last_page:", step >= n_frames - 1, None, "secondary"),
    )
    for col, (action, label, icon, disabled, shortcut, kind) in zip(cols, buttons, strict=False):
        with col:
            st.button(
                label,
                key=keys.button(action),
                icon=icon,
                disabled=disabled,
                on_click=_on_click,
                args=(keys, action, n_frames),
                type=kind,
                shortcut=shortcut,
                width="stretch",
            )
    with cols[5]:
        st.selectbox(
            "Speed",
            SPEEDS,
            key=keys.speed,
            format_func=lambda s: f"{s:g} s per step",
            on_change=_on_speed,
            args=(keys,),
            label_visibility="collapsed",
        )
    with cols[6]:
        st.markdown(f"**Step {step + 1} of {n_frames}**")


def _body(keys: StepperKeys, n_frames: int, render: Callable[[int], None], registered: tuple[bool, float]) -> None:
    ss = st.session_state
    fresh = ss.pop(keys.fresh, False)
    clicked = ss.pop(keys.clicked, False)
    ss[keys.step] = max(0, min(int(ss[keys.step]), n_frames - 1))
    if ss[keys.playing] and not fresh and not clicked:  # a timer tick
        ss[keys.step] = min(int(ss[keys.step]) + 1, n_frames - 1)
    if ss[keys.playing] and ss[keys.step] >= n_frames - 1:
        ss[keys.playing] = False
    _controls(keys, n_frames)
    if (bool(ss[keys.playing]), float(ss[keys.speed])) != registered and (ss[keys.playing] or registered[0]):
        st.rerun()  # run_every must change: only a full run can declare it anew
    render(int(ss[keys.step]))


def animate(keys: StepperKeys, n_frames: int, render: Callable[[int], None]) -> int:
    """Controls plus ``render(step)`` in one fragment; returns the frame shown by this full run.

    ``n_frames`` must be at least 1; the step is clamped to the frames there are
    (a smaller network after an edit, or a scene's step, keeps a valid step), with a note saying so.
    """
    if n_frames < 1:
        raise ValueError("an animation needs at least one frame")
    init(keys)
    ss = st.session_state
    if int(ss[keys.step]) > n_frames - 1:  # a scene's step, or a smaller network since: said, then clamped
        st.info(
            f"Step {int(ss[keys.step]) + 1} is past the end of this animation ({n_frames} steps); "
            "it shows the last step.",
            icon=":material/info:",
        )
    ss[keys.step] = max(0, min(int(ss[keys.step]), n_frames - 1))
    playing, speed = bool(ss[keys.playing]), float(ss[keys.speed])
    ss[keys.fresh] = True
    fragment = st.fragment(_body, run_every=speed if playing else None)
    fragment(keys, n_frames, render, (playing, speed))
    return int(ss[keys.step])
