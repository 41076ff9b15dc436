// The demo host page (/widget-demo): writes the embedding code of the widget it shows, with
// this server's address, so an intranet developer can copy it as it stands.
"use strict";
document.getElementById("snippet").textContent =
  '<script src="' + location.origin + '/widget.js" defer></script>\n' +
  '<paragraf-search limit="5"></paragraf-search>';
