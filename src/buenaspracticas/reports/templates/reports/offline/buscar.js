/* Client-side search of the offline package: no library, no network, works from file://.
   The index is html/indice.js (it sets window.BUENASPRACTICAS_INDICE: id, title, state, institution,
   population, text per practice); the texts shown come from data-* attributes of the form, so they
   are translated with the page. */
(function () {
  "use strict";
  var entries = window.BUENASPRACTICAS_INDICE || [];
  var form = document.getElementById("buscar");
  var input = document.getElementById("q");
  var summary = document.getElementById("buscar-resumen");
  var list = document.getElementById("resultados");
  if (!form || !input || !summary || !list) { return; }

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // Plural to singular, roughly, so "albergues" finds "albergue" and "migrantes" finds "migrante".
  function stem(word) {
    if (word.length > 4 && /es$/.test(word)) { return word.slice(0, -2); }
    if (word.length > 3 && /s$/.test(word)) { return word.slice(0, -1); }
    return word;
  }

  var folded = entries.map(function (e) {
    return {
      entry: e,
      title: fold(e.title),
      where: fold(e.state + " " + e.institution + " " + e.population),
      text: fold(e.text)
    };
  });

  function snippet(entry, text, word) {
    var at = text.indexOf(word);
    if (at < 0) { return entry.text.slice(0, 180) + (entry.text.length > 180 ? "…" : ""); }
    var start = Math.max(0, entry.text.lastIndexOf(" ", Math.max(0, at - 70)) + 1);
    if (at - start > 90) { start = Math.max(0, at - 70); }
    var end = Math.min(entry.text.length, start + 200);
    var space = entry.text.indexOf(" ", end);
    end = space < 0 || space - end > 20 ? end : space;
    return (start > 0 ? "…" : "") + entry.text.slice(start, end) + (end < entry.text.length ? "…" : "");
  }

  function search(query) {
    var words = fold(query).split(/[^a-z0-9ñ]+/).filter(Boolean).map(stem);
    if (!words.length) { return null; }
    var hits = [];
    folded.forEach(function (f) {
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        var w = words[i];
        var inTitle = f.title.indexOf(w) >= 0;
        var inWhere = f.where.indexOf(w) >= 0;
        var inText = f.text.indexOf(w) >= 0;
        if (!inTitle && !inWhere && !inText) { return; }
        score += (inTitle ? 3 : 0) + (inWhere ? 2 : 0) + (inText ? 1 : 0);
      }
      hits.push({ f: f, score: score });
    });
    hits.sort(function (a, b) { return b.score - a.score; });
    return { words: words, hits: hits };
  }

  function show() {
    var found = search(input.value);
    list.textContent = "";
    if (!found) { summary.textContent = ""; return; }
    var n = found.hits.length;
    summary.textContent = n === 0 ? form.dataset.none
      : n === 1 ? form.dataset.one : form.dataset.many.replace("{n}", String(n));
    found.hits.slice(0, 50).forEach(function (hit) {
      var e = hit.f.entry;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = e.id + ".html";
      a.textContent = e.title;
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = e.state + (e.institution ? " · " + e.institution : "");
      var text = document.createElement("span");
      text.className = "snippet";
      text.textContent = snippet(e, hit.f.text, found.words[0]);
      li.appendChild(a);
      li.appendChild(meta);
      li.appendChild(text);
      list.appendChild(li);
    });
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); show(); });
  input.addEventListener("input", show);
  if (input.value) { show(); }
})();
