// Help center: a video's player (YouTube's no-cookie domain or Vimeo with dnt) is loaded
// only when the visitor asks for it; until then nothing is fetched from other sites.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".video-load");
    if (!button) { return; }
    var box = button.closest(".video");
    var frame = document.createElement("iframe");
    frame.src = box.dataset.embed + (box.dataset.embed.indexOf("?") === -1 ? "?" : "&") + "autoplay=1";
    frame.title = box.dataset.title;
    frame.allow = "autoplay; fullscreen; picture-in-picture";
    frame.setAttribute("allowfullscreen", "");
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    frame.loading = "lazy";
    box.replaceChildren(frame);
    box.classList.add("video-loaded");
  });
})();
