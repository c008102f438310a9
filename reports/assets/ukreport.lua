-- ukreport pandoc filter: callouts and "disputed" marks in HTML, Typst and DOCX.
--
-- Quarto writes callouts as `::: {.callout-note title="..."}` and the essay marks
-- contested statements with `.disputed` (a div or a [span]{.disputed}). HTML gets
-- the classes and a visible title; Typst gets calls to functions of template.typst.

local function callout_kind(classes)
  for _, class in ipairs(classes) do
    local kind = class:match("^callout%-(%a+)$")
    if kind then return kind end
    if class == "disputed" or class == "note" then return class end
  end
  return nil
end

local function typst_string(text)
  return '"' .. text:gsub("\\", "\\\\"):gsub('"', '\\"') .. '"'
end

local default_titles = {
  note = "Note", tip = "Tip", warning = "Warning", important = "Important",
  caution = "Caution", disputed = "Disputed",
}

function Div(div)
  if div.classes:includes("provenance") and FORMAT:match("typst") then
    local blocks = pandoc.Blocks({ pandoc.RawBlock("typst", "#ukprovenance[") })
    blocks:extend(div.content)
    blocks:insert(pandoc.RawBlock("typst", "]"))
    return blocks
  end
  local kind = callout_kind(div.classes)
  if not kind then return nil end
  local title = div.attributes["title"] or default_titles[kind] or "Note"
  div.attributes["title"] = nil
  if FORMAT:match("typst") then
    local blocks = pandoc.Blocks({ pandoc.RawBlock("typst",
      "#ukcallout(kind: " .. typst_string(kind) .. ", title: " .. typst_string(title) .. ")[") })
    blocks:extend(div.content)
    blocks:insert(pandoc.RawBlock("typst", "]"))
    return blocks
  end
  if FORMAT:match("docx") then
    div.content:insert(1, pandoc.Para(pandoc.Strong(pandoc.Str(title))))
    return div
  end
  if FORMAT:match("html") then
    div.classes:insert("callout")
    div.attributes["role"] = "note"
    div.content:insert(1, pandoc.Div(pandoc.Plain(pandoc.Str(title)), {class = "callout-title"}))
    return div
  end
  return nil
end

function Span(span)
  if not span.classes:includes("disputed") then return nil end
  if FORMAT:match("typst") then
    local inlines = pandoc.List({ pandoc.RawInline("typst", "#ukdisputed[") })
    inlines:extend(span.content)
    inlines:insert(pandoc.RawInline("typst", "]"))
    return inlines
  end
  return nil
end
