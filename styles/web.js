/* The web version's only script (loaded with defer; the page works without it).
   - The table of contents is open beside the text on wide screens, folded on phones.
   - The section in view is marked in the table of contents (aria-current); on wide screens
     only its chapter shows its sections, so the list stays short.
   - "Vis kilder" is remembered between visits and pages.
   - Printing opens the figures' data tables. */
"use strict";

(function () {
  document.documentElement.classList.add("js");
  var toc = document.querySelector("nav.toc details");
  var wide = window.matchMedia("(min-width: 60rem)");
  if (toc) {
    var fit = function () { toc.open = wide.matches; };
    fit();
    wide.addEventListener("change", fit);
  }

  var links = {};
  document.querySelectorAll("nav.toc a[href^='#']").forEach(function (a) {
    links[decodeURIComponent(a.getAttribute("href").slice(1))] = a;
  });
  var headings = Array.prototype.filter.call(
    document.querySelectorAll("main h1[id], main h2[id]"), function (h) { return links[h.id]; });
  var current = null;
  function mark() {
    var line = window.innerHeight * 0.25, found = headings[0];
    for (var i = 0; i < headings.length; i++) {
      if (headings[i].getBoundingClientRect().top <= line) { found = headings[i]; } else { break; }
    }
    if (!found || found === current) { return; }
    if (current) {
      links[current.id].removeAttribute("aria-current");
      var old = links[current.id].closest("nav.toc > details > ol > li");
      if (old) { old.classList.remove("aktiv"); }
    }
    current = found;
    links[found.id].setAttribute("aria-current", "location");
    var chapter = links[found.id].closest("nav.toc > details > ol > li");
    if (chapter) { chapter.classList.add("aktiv"); }
  }
  if (headings.length) {
    var pending = false;
    window.addEventListener("scroll", function () {
      if (!pending) { pending = true; window.requestAnimationFrame(function () { pending = false; mark(); }); }
    }, { passive: true });
    mark();
  }

  var sources = document.getElementById("vis-kilder");
  if (sources) {
    try { sources.checked = window.localStorage.getItem("haefte-kilder") === "ja"; } catch (e) { /* private mode */ }
    sources.addEventListener("change", function () {
      try { window.localStorage.setItem("haefte-kilder", sources.checked ? "ja" : "nej"); } catch (e) { /* ignore */ }
    });
  }

  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) { d.open = true; opened.push(d); });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
