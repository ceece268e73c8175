"""综治工作 (governance & security): disputes and their mediation (人民调解); petitions (信访) join later."""
