// The plan's "View" buttons are drawn as markup (one block for the whole plan, which appears far
// faster than one Dash component per cell), so one listener opens the chosen action: it sets the
// action chooser, whose callback shows the details, and moves focus to the details panel.
document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-action-id]") : null;
    if (!button || !window.dash_clientside || !window.dash_clientside.set_props) {
        return;
    }
    window.dash_clientside.set_props("act-choose", {value: button.getAttribute("data-action-id")});
    var heading = document.getElementById("act-detail-heading");
    if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
    }
});
