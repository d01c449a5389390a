// 发布前检查: accept a suggestion into the corrected copy. Served as a file: the
// Content-Security-Policy allows no inline script. The page works without it (the
// problems are marked by the server); this only edits the copy in the browser.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var view = document.getElementById("draft-view");
  var corrected = document.getElementById("corrected");
  if (!corrected) {
    return;
  }

  // The corrected copy: every block's text as it now reads, one per line.
  function refresh() {
    if (!view) {
      return;
    }
    var lines = [];
    view.querySelectorAll("p.block .block-text").forEach(function (block) {
      var text = "";
      block.childNodes.forEach(function (node) {
        if (node.nodeType === Node.TEXT_NODE) {
          text += node.textContent;
        } else if (node.classList && node.classList.contains("problem")) {
          text += node.textContent;
        }
        // suggestion chips are not part of the text
      });
      lines.push(text);
    });
    corrected.value = lines.join("\n");
  }

  if (view) {
    view.addEventListener("click", function (event) {
      var button = event.target.closest("button.accept");
      if (!button) {
        return;
      }
      var chip = button.closest(".suggestion");
      var problem = document.getElementById(chip.getAttribute("data-problem"));
      if (problem) {
        problem.textContent = chip.getAttribute("data-suggestion");
        problem.classList.add("accepted");
      }
      chip.remove();
      refresh();
    });
  }

  var copy = document.getElementById("copy-corrected");
  if (copy) {
    copy.addEventListener("click", function () {
      corrected.select();
      var done = function () {
        document.getElementById("copy-state").textContent = "已复制";
      };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(corrected.value).then(done, function () {
          document.execCommand("copy");
          done();
        });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  }
});
