-- ukreport pandoc filter: callouts and "disputed" marks in HTML, Typst and DOCX.
--
-- Quarto writes callouts as `::: {.callout-note title="..."}` and the essay marks
-- contested statements with `.disputed` (a div or a [span]{.disputed}). HTML gets
-- the classes and a visible title; Typst gets calls to functions of template.typst.
--
-- For Typst it also gives every image and equation its alternative text: the PDF is
-- PDF/A-2a and PDF/UA-1, which typst refuses to write with an image or equation that
-- has none, and pandoc's Typst writer drops the `alt` attribute.

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

-- Alternative text, for Typst: pandoc writes `image("…")` without the `alt` the HTML
-- gets, so each figure, image and equation is wrapped in a block that sets it. One
-- with none is left as it is, and typst refuses the PDF, naming its line.

local function alt_of(image)
  local alt = image.attributes["alt"]
  if alt == nil or alt == "" then alt = pandoc.utils.stringify(image.caption) end
  return alt
end

local function with_alt(element, alt, set)
  if alt == nil or alt == "" then return nil end
  local open = "#[#set " .. set .. "(alt: " .. typst_string(alt) .. ")"
  if element.t == "Figure" then
    return pandoc.Blocks({ pandoc.RawBlock("typst", open), element, pandoc.RawBlock("typst", "]") })
  end
  return pandoc.Inlines({ pandoc.RawInline("typst", open .. ";"), element,
    pandoc.RawInline("typst", "]") })
end

local DONE = "ukreport-alt"

local figures = {
  Figure = function(figure)
    if not FORMAT:match("typst") then return nil end
    local alt = nil
    figure = figure:walk({
      Image = function(image)
        alt = alt or alt_of(image)
        image.classes:insert(DONE)
        return image
      end,
    })
    if alt == nil or alt == "" then alt = pandoc.utils.stringify(figure.caption) end
    return with_alt(figure, alt, "image")
  end,
}

local inlines = {
  Image = function(image)
    if not FORMAT:match("typst") or image.classes:includes(DONE) then return nil end
    return with_alt(image, alt_of(image), "image")
  end,
  Math = function(math)
    if not FORMAT:match("typst") then return nil end
    return with_alt(math, math.text, "math.equation")
  end,
}

-- Figures drawn as SVG go inline into the HTML, not as an image: their marks carry
-- titles (a tooltip and a screen reader's name) and links to the record's rows, which
-- an <img> would hide. The figure's alternative text names the whole drawing; one
-- whose marks are named is a group (a reader can reach them), any other an image.

local function html_attribute(text)
  return text:gsub("&", "&amp;"):gsub('"', "&quot;"):gsub("<", "&lt;"):gsub(">", "&gt;")
end

local function inline_svg(image)
  if not FORMAT:match("html") or not image.src:match("%.svg$") then return nil end
  local ok, _, contents = pcall(pandoc.mediabag.fetch, image.src)
  if not ok or contents == nil then return nil end
  local svg = contents:gsub("^%s*<%?xml.-%?>%s*", ""):gsub("^<!DOCTYPE.->%s*", "")
  svg = svg:gsub("<metadata>.-</metadata>%s*", ""):gsub('<style type="text/css">', "<style>")
  local alt = alt_of(image)
  local named = svg:find("<a ", 1, true) or svg:find("<title>", 1, true)
  local role = named and "group" or "img"
  local label = ""
  if alt ~= nil and alt ~= "" then label = ' aria-label="' .. html_attribute(alt) .. '"' end
  local opened, n = svg:gsub("^<svg ", '<svg class="figure" role="' .. role .. '"' .. label .. " ", 1)
  if n ~= 1 then return nil end
  return pandoc.RawInline("html", opened)
end

inlines.Image = (function(previous)
  return function(image)
    local inline = inline_svg(image)
    if inline ~= nil then return inline end
    return previous(image)
  end
end)(inlines.Image)

-- A table scrolls sideways on a narrow screen (style.css): in HTML it takes the
-- keyboard focus, so it can be scrolled without a mouse (WCAG 2.1.1; axe-core's
-- scrollable-region-focusable).
-- On a phone each row stacks its cells (style.css), each cell led by its column's
-- heading, taken from the data-label written here: no column is out of sight.
local function Table(tbl)
  if not FORMAT:match("html") then return nil end
  tbl.attributes["tabindex"] = "0"
  local heads = {}
  if tbl.head and tbl.head.rows and #tbl.head.rows > 0 then
    for i, cell in ipairs(tbl.head.rows[1].cells) do
      heads[i] = pandoc.utils.stringify(cell.contents)
    end
  end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      for i, cell in ipairs(row.cells) do
        if heads[i] and heads[i] ~= "" then cell.attributes["data-label"] = heads[i] end
      end
    end
  end
  return tbl
end

return { figures, inlines, { Div = Div, Span = Span, Table = Table } }
