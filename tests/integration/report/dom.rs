//! The report read as a browser reads it: html5ever (Servo's HTML parser)
//! builds the tree; these helpers find elements by id, tag and class and
//! give their text, entities decoded.

use html5ever::tendril::TendrilSink;
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use std::rc::Rc;

/// A parsed page and the parse errors html5ever reported.
pub struct Page {
    pub root: El,
    pub errors: Vec<String>,
}

pub fn parse(html: &str) -> Page {
    let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(html);
    let errors = dom.errors.borrow().iter().map(|e| e.to_string()).collect();
    Page {
        root: El(Rc::clone(&dom.document)),
        errors,
    }
}

/// A node of the tree (an element, or the document).
#[derive(Clone)]
pub struct El(Handle);

impl El {
    pub fn tag(&self) -> String {
        match &self.0.data {
            NodeData::Element { name, .. } => name.local.to_string(),
            _ => String::new(),
        }
    }

    pub fn attr(&self, name: &str) -> Option<String> {
        match &self.0.data {
            NodeData::Element { attrs, .. } => attrs
                .borrow()
                .iter()
                .find(|a| &*a.name.local == name)
                .map(|a| a.value.to_string()),
            _ => None,
        }
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_whitespace().any(|c| c == class))
    }

    /// The element children, in order.
    pub fn children(&self) -> Vec<El> {
        self.0
            .children
            .borrow()
            .iter()
            .filter(|c| matches!(c.data, NodeData::Element { .. }))
            .map(|c| El(Rc::clone(c)))
            .collect()
    }

    /// Every element below, in document order.
    pub fn descendants(&self) -> Vec<El> {
        let mut out = Vec::new();
        for c in self.children() {
            out.push(c.clone());
            out.extend(c.descendants());
        }
        out
    }

    /// Every element below with this tag.
    pub fn all(&self, tag: &str) -> Vec<El> {
        self.descendants()
            .into_iter()
            .filter(|e| e.tag() == tag)
            .collect()
    }

    /// The element below with this id (the test fails without it).
    pub fn id(&self, id: &str) -> El {
        self.descendants()
            .into_iter()
            .find(|e| e.attr("id").as_deref() == Some(id))
            .unwrap_or_else(|| panic!("no element with id {id}"))
    }

    /// The text of every text node below, joined.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for c in self.0.children.borrow().iter() {
            match &c.data {
                NodeData::Text { contents } => out.push_str(&contents.borrow()),
                NodeData::Element { .. } => out.push_str(&El(Rc::clone(c)).text()),
                _ => {}
            }
        }
        out
    }

    /// The rows of the table's body, as the text of their cells
    /// (`th` and `td`).
    pub fn body_rows(&self) -> Vec<Vec<String>> {
        self.all("tbody")
            .iter()
            .flat_map(|b| b.children())
            .map(|tr| tr.children().iter().map(El::text).collect())
            .collect()
    }
}
