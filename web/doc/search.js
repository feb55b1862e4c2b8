// search.js - the search box of a site written by `edict doc`. Plain
// JavaScript, no library: it filters window.EDICT_INDEX (search-index.js)
// by every word typed, and lists the first 50 matches.
(function () {
  "use strict";
  var box = document.getElementById("search");
  var out = document.getElementById("results");
  var index = window.EDICT_INDEX || [];
  if (!box || !out) return;
  function show(q) {
    while (out.firstChild) out.removeChild(out.firstChild);
    var words = q.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
    if (!words.length) return;
    var shown = 0;
    for (var i = 0; i < index.length && shown < 50; i++) {
      var e = index[i];
      var hay = (e.n + " " + e.k + " " + (e.t || "")).toLowerCase();
      if (!words.every(function (w) { return hay.indexOf(w) >= 0; })) continue;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = e.u;
      a.textContent = e.n;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = e.k;
      li.appendChild(kind);
      li.appendChild(a);
      if (e.t) {
        var hint = document.createElement("span");
        hint.className = "hint";
        hint.textContent = e.t.length > 90 ? e.t.slice(0, 90) + "..." : e.t;
        li.appendChild(hint);
      }
      out.appendChild(li);
      shown++;
    }
    if (!shown) {
      var none = document.createElement("li");
      none.textContent = "Nothing matches.";
      out.appendChild(none);
    }
  }
  box.addEventListener("input", function () { show(box.value); });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { box.value = q; show(q); }
})();
