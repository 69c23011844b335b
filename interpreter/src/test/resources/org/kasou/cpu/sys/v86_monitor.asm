; Entered in flat 32-bit protected mode at CPL 0. Enters virtual-8086 mode with IRETD (IOPL 3),
; where 16-bit code calls INT 21h (to a ring-0 handler through the IDT, which returns with IRETD)
; and then executes HLT, which is #GP(0) at CPL 3: the ring-0 #GP handler records the frame and
; halts.
bits 32
org 0x1000
start:
    mov esp, 0x8000
    lgdt [gdt_desc]
    lidt [idt_desc]
    mov ax, 0x28
    ltr ax
    push dword 0            ; GS
    push dword 0            ; FS
    push dword 0x0200       ; DS
    push dword 0            ; ES
    push dword 0x0300       ; SS
    push dword 0x0FFE       ; ESP
    push dword 0x00023002   ; EFLAGS: VM, IOPL 3
    push dword 0x0100       ; CS (base 0x1000 = this program)
    push dword v86code - $$ ; IP
    iret
bits 16
v86code:
    mov ax, 0x1234
    int 0x21
    mov [0x10], ax
hlt_at:
    hlt
bits 32
int21_handler:
    mov bx, 0x10
    mov ds, bx
    inc eax
    mov [0x600], esp
    iret
gp_handler:
    mov bx, 0x10
    mov ds, bx
    pop ebx
    mov [0x604], ebx
    mov ebx, [esp]
    mov [0x608], ebx
    mov ebx, [esp + 8]
    mov [0x60C], ebx
    mov ebx, [esp + 16]
    mov [0x610], ebx
    hlt
align 8
gdt:
    dq 0
    dq 0x00CF9A000000FFFF
    dq 0x00CF92000000FFFF
    dq 0x00CFFA000000FFFF
    dq 0x00CFF2000000FFFF
    dw 0x67, tss
    db 0, 0x89, 0, 0
gdt_desc:
    dw 6*8-1
    dd gdt
idt:
    times 13 dq 0
    dw gp_handler, 0x08, 0x8E00, 0
    times (0x21 - 14) dq 0
    dw int21_handler, 0x08, 0xEE00, 0
idt_desc:
    dw 0x22*8-1
    dd idt
align 4
tss:
    dd 0, 0x9000, 0x10
    times 23 dd 0
    dw 0, 0x68
