// The release form's topics (newsroom/models/topic_field.py): Wagtail's tag
// controller wraps a topic of several words in double quotes and shows them on
// the chip. Topics are separated by commas only, so they need none: the same
// controller, registered under a name of its own, keeps the name as typed.
(function () {
  "use strict";
  var app = window.wagtail && window.wagtail.app;
  var tag = app && app.router.modulesByIdentifier.get("w-tag");
  if (!tag) return; // the field stays a plain comma-separated text box
  var TagController = tag.definition.controllerConstructor;
  class TopicsController extends TagController {
    cleanTag(value) {
      return value ? value.replace(/^"+|"+$/g, "").trim() : value;
    }
  }
  app.register("newsroom-topics", TopicsController);
})();
