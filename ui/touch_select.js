// A tap selects a bar, a swipe scrolls the page: clickable charts on a touch screen
// (mounted once per page by ui/layout.py).
//
// Plotly selects the point under the pointer's last hover (gd._hoverdata). A mouse
// hovers before it clicks; a finger does not, so on a phone the first tap only showed
// the tooltip and the second selected. And plotly cancels the touch of any drag mode
// (Streamlit sets "pan" for on_select), so a thumb landing on a chart could not scroll
// the page past it. For charts that select on click (st.plotly_chart with on_select:
// clickmode "event+select"), when a finger lands on the chart's plot area or an axis strip this
//   - turns plotly's drag off until the finger lifts, so the browser scrolls the page natively;
//   - on the plot area, hovers at the touch point, so a tap selects what it touched;
// and when the finger lifts (or the browser cancels the touch) it
//   - tells plotly a touch that moved, or that a second finger joined (a pinch), was a drag
//     (gd._dragged, which plotly keeps for others to read and set), so it selects nothing;
//   - cancels the mouse events the browser would make of a tap (plotly would take them
//     for a second click and undo the selection);
//   - after a cancelled touch, ends plotly's drag (plotly listens for touchend only, and
//     would otherwise ignore the next tap);
//   - takes the tooltip away, so none is left over the chart, and gives plotly its drag
//     mode back (a mouse on a touch laptop pans as before).
// Other charts are left alone: a tap there shows the numbers, as before.
const MOVED = 10; // px: a touch that went further is a swipe

export default function () {
  let touch = null; // the touch that landed on a clickable chart: its plot, dragger, start and whether it moved
  const clickable = (target) => {
    const drag = target instanceof Element ? target.closest(".drag") : null;
    const plot = drag ? drag.closest(".js-plotly-plot") : null;
    const layout = plot ? plot._fullLayout : null;
    return layout && String(layout.clickmode).includes("select") ? { plot, drag, dragmode: layout.dragmode } : null;
  };
  const landed = (event) => {
    if (touch) { // a second finger: a pinch, not a tap
      touch.moved = true;
      return;
    }
    touch = event.touches.length === 1 ? clickable(event.target) : null;
    if (!touch) return;
    const { clientX, clientY } = event.touches[0];
    Object.assign(touch, { x: clientX, y: clientY, moved: false });
    touch.plot._fullLayout.dragmode = false; // read by plotly as this touch starts: no drag, the page scrolls
    if (touch.drag.classList.contains("nsewdrag")) {
      touch.drag.dispatchEvent(new MouseEvent("mousemove", { clientX, clientY, bubbles: true, view: window }));
    }
  };
  const moving = (event) => {
    if (!touch || event.touches.length !== 1) return;
    const { clientX, clientY } = event.touches[0];
    if (Math.hypot(clientX - touch.x, clientY - touch.y) > MOVED) touch.moved = true;
  };
  const lifted = (event) => {
    if (!touch) return;
    const { plot, drag, moved, dragmode } = touch;
    // plotly's own handler comes later in this event, at the first finger that lifts
    if (event.type === "touchcancel") plot._dragging = false;
    else if (moved) plot._dragged = true;
    else if (event.cancelable) event.preventDefault();
    if (event.touches.length > 0) return; // a finger of a pinch is still down
    touch = null;
    setTimeout(() => {
      drag.dispatchEvent(new MouseEvent("mouseout", { bubbles: true, view: window }));
      if (plot._fullLayout && plot._fullLayout.dragmode === false) plot._fullLayout.dragmode = dragmode;
    });
  };
  const listeners = [
    ["touchstart", landed, { capture: true, passive: true }],
    ["touchmove", moving, { capture: true, passive: true }],
    ["touchend", lifted, { capture: true, passive: false }],
    ["touchcancel", lifted, { capture: true, passive: false }],
  ];
  for (const [type, listener, options] of listeners) document.addEventListener(type, listener, options);
  return () => {
    for (const [type, listener, options] of listeners) document.removeEventListener(type, listener, options);
  };
}
